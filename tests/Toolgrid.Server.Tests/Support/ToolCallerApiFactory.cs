using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Accounts;
using Toolgrid.Tests.Store;

namespace Toolgrid.Server.Tests.Support;

/// <summary>
/// The API server in multi-user mode, where a tool's own Unix user is a caller of its own: a
/// token of <see cref="ToolUser"/> is tool <see cref="Tool"/> acting as itself, as after
/// <c>toolgrid become</c>. That user is known to this server's user database alone (no real
/// account is made), and the tool is put straight into the store (<see cref="AddToolAsync"/>),
/// since making one through the API would run useradd.
/// </summary>
/// <remarks>
/// <para>
/// A token of scope <c>admin</c> of the tool's user (what <see cref="ToolgridApiFactory.As"/> makes)
/// is the caller the Unix socket sees from one of the tool's processes: the tool, with every scope.
/// Only how it was identified differs, which no refusal of an admin's or a person's step looks at.
/// The tokens the tool can make itself have at most scope <c>jobs</c>.
/// </para>
/// <para>Multi-user mode needs the server to run as root: use it with <see cref="RootApiFactAttribute"/>.</para>
/// </remarks>
public sealed class ToolCallerApiFactory : ToolgridApiFactory
{
    /// <summary>The tool whose own user calls.</summary>
    public const string Tool = "selfcall";

    /// <summary>Its Unix user, in the default prefix and uid range of tools' users.</summary>
    public const string ToolUser = "tools." + Tool;

    private const int ToolUid = 59990;

    /// <summary>Puts the tool into the store with <paramref name="maintainer"/> as its maintainer, once.</summary>
    public async Task AddToolAsync(string maintainer)
    {
        await using var db = Store();
        if (db.Tools.Any(t => t.Name == Tool))
        {
            return;
        }

        db.Tools.Add(ToolRecords.New(Tool, HomeOf(Tool), ToolUid, ToolUid, [maintainer], TimeProvider.System.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Toolgrid:Accounts:Mode", "MultiUser");

        // No real tool is made, so there is nobody to become: the sudoers drop-in stays untouched.
        builder.UseSetting("Toolgrid:Accounts:SudoersFile", "");
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IUserDatabase>(new WithToolUser(new UnixUserDatabase(), new UnixUser(ToolUser, ToolUid, ToolUid, "/nonexistent", "/bin/bash")));

    /// <summary>The host's users and groups, and one tool's user besides.</summary>
    private sealed class WithToolUser(IUserDatabase host, UnixUser tool) : IUserDatabase
    {
        public int EffectiveUid => host.EffectiveUid;

        public int EffectiveGid => host.EffectiveGid;

        public UnixUser? FindUser(int uid) => uid == tool.Uid ? tool : host.FindUser(uid);

        public UnixUser? FindUser(string name) => name == tool.Name ? tool : host.FindUser(name);

        public UnixGroup? FindGroup(int gid) => host.FindGroup(gid);

        public UnixGroup? FindGroup(string name) => host.FindGroup(name);

        public IReadOnlyList<int> GroupIdsOf(string userName) => userName == tool.Name ? [tool.Gid] : host.GroupIdsOf(userName);

        public bool IsMember(string userName, string groupName) => userName != tool.Name && host.IsMember(userName, groupName);

        public IReadOnlyList<UnixUser> ListUsers() => [.. host.ListUsers(), tool];

        public IReadOnlyList<UnixGroup> ListGroups() => host.ListGroups();
    }
}
