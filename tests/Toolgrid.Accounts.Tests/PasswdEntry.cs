namespace Toolgrid.Accounts.Tests;

/// <summary>A line of <c>getent passwd</c>: what the host says about a user, independently of the code under test.</summary>
public sealed record PasswdEntry(string Name, int Uid, int Gid, string Comment, string Home, string Shell);
