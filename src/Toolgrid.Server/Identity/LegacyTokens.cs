using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Identity;

/// <summary>
/// Brings tokens made by older versions into line, at every start before the API answers:
/// tokens made before scopes and expiry get scope admin (a tool's own: jobs) and an expiry; the
/// tokens toolgridd once made for each tool and wrote to its <c>~/.toolgrid/token</c> are revoked,
/// and those files removed.
/// </summary>
/// <remarks>
/// <para>
/// A token made before scopes existed could do all its user can, and never expired; it keeps
/// working as it did (scope admin; a tool's own gets jobs, the most a tool may have) but now expires <see cref="TokenOptions.DefaultLifetimeDays"/>
/// after the upgrade (or earlier, when it was made to). Such tokens are told by their empty
/// <see cref="ApiToken.MadeBy"/>, which every token made since has.
/// </para>
/// <para>
/// A tool's own token in its home was served by the tool's web server to anyone who asked, and
/// with it the tool, and (through <c>maintainers add</c>) its maintainers' rights. Runs reach the
/// API over the Unix socket instead, with no secret. Each step is idempotent: a start that dies
/// halfway is finished by the next, and a file removed once is not looked for again in vain.
/// </para>
/// </remarks>
public sealed partial class LegacyTokens(
    IDbContextFactory<ToolgridDbContext> contexts,
    IToolAccounts accounts,
    IOptions<TokenOptions> options,
    TimeProvider time,
    ILogger<LegacyTokens> logger)
{
    /// <summary>The name older versions gave the token of a tool they wrote to its home.</summary>
    public const string ToolTokenName = "the tool's own (~/.toolgrid/token)";

    /// <summary>What made a token made before that was kept.</summary>
    public const string NotRecorded = "not recorded (made before tokens had scopes)";

    public async Task UpgradeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Revoked first: the tool tokens must never become admin tokens that work, even for a moment.
        var revoked = await db.Tokens.Where(t => t.Name == ToolTokenName && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        var expires = now.AddDays(options.Value.DefaultLifetimeDays);

        // A tool's own tokens (made after 'become') get the most a tool may have, scope jobs; in
        // single-user mode the tools' user is a person's, whose tokens are not the tools'.
        var upgraded = 0;
        if (accounts.Mode == AccountMode.MultiUser)
        {
            upgraded += await UpgradeAsync(db.Tokens.Where(t => t.MadeBy == "" && db.Tools.Any(tool => tool.UnixUser == t.UserName)), TokenRules.ToolScopeMax, expires, cancellationToken);
        }

        upgraded += await UpgradeAsync(db.Tokens.Where(t => t.MadeBy == ""), TokenScope.Admin, expires, cancellationToken);
        if (revoked + upgraded > 0)
        {
            LogUpgraded(upgraded, revoked, options.Value.DefaultLifetimeDays);
        }

        // Which tool each such token was written for, and what its hash is.
        var written = await db.Tokens.AsNoTracking().Where(t => t.Name == ToolTokenName)
            .Join(db.Tools, t => t.UserName, tool => tool.UnixUser, (t, tool) => new { Tool = tool.Name, t.SecretHash })
            .ToListAsync(cancellationToken);
        foreach (var tool in written.GroupBy(w => w.Tool, StringComparer.Ordinal))
        {
            var hashes = tool.Select(w => w.SecretHash).ToHashSet(StringComparer.Ordinal);
            try
            {
                await accounts.RemoveLegacyTokenFileAsync(tool.Key, content => hashes.Contains(TokenSecrets.Hash(content)), cancellationToken);
            }
            catch (ToolgridException e)
            {
                // Its token is revoked, so the file opens nothing; the next start tries again.
                LogFileNotRemoved(tool.Key, e.Message);
            }
        }
    }

    private static Task<int> UpgradeAsync(IQueryable<ApiToken> tokens, TokenScope scope, DateTimeOffset expires, CancellationToken cancellationToken) =>
        tokens.ExecuteUpdateAsync(
            s => s.SetProperty(t => t.Scope, scope)
                .SetProperty(t => t.MadeBy, NotRecorded)
                .SetProperty(t => t.ExpiresAt, t => t.ExpiresAt == null || t.ExpiresAt > expires ? expires : t.ExpiresAt),
            cancellationToken);

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Tokens of an older version: {Upgraded} now have a scope (admin, or jobs for a tool's own) and expire within {Days} days; {Revoked} tool tokens that were kept in tools' homes are revoked")]
    private partial void LogUpgraded(int upgraded, int revoked, int days);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Could not remove the revoked token an older version wrote to the home of tool {Tool}: {Reason}")]
    private partial void LogFileNotRemoved(string tool, string reason);
}
