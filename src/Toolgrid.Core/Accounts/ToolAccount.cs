namespace Toolgrid.Core.Accounts;

/// <summary>A tool's Unix identity and home, as made by <see cref="IToolAccounts"/>.</summary>
public sealed record ToolAccount(string UnixUser, int Uid, int Gid, string Home);
