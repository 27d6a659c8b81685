namespace Toolgrid.Accounts.Tests;

/// <summary>A line of <c>getent group</c>: what the host says about a group, independently of the code under test.</summary>
public sealed record GroupEntry(string Name, int Gid, IReadOnlyList<string> Members);
