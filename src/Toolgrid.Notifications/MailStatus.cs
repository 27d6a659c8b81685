using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Store;

namespace Toolgrid.Notifications;

/// <summary>The mail outbox at a glance, from the store (so any API process can tell it), for <c>/api/v1/status</c>.</summary>
public sealed class MailStatus(IDbContextFactory<ToolgridDbContext> contexts, IOptions<MailOptions> options, TimeProvider time)
{
    /// <summary>What mail being off means, in words.</summary>
    public const string OffDetail = "mail is off (Toolgrid:Mail:Host is not set): notices about jobs are recorded and gathered, but no mail is sent";

    public async Task<MailStatusView> GetAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var dayAgo = time.GetUtcNow() - TimeSpan.FromDays(1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mails = db.Mails.AsNoTracking();
        var pending = await mails.CountAsync(m => m.NextAttemptAt != null, cancellationToken);
        var retrying = await mails.CountAsync(m => m.NextAttemptAt != null && m.Attempts > 0, cancellationToken);
        var retryError = await mails.Where(m => m.NextAttemptAt != null && m.Attempts > 0 && m.LastError != null)
            .OrderByDescending(m => m.Id).Select(m => m.LastError).FirstOrDefaultAsync(cancellationToken);

        // Ids grow with time: the smallest pending id is the oldest pending mail.
        var oldestPending = await mails.Where(m => m.NextAttemptAt != null).OrderBy(m => m.Id)
            .Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var failed = await mails.CountAsync(m => m.FailedAt != null, cancellationToken);
        var lastFailed = await mails.Where(m => m.FailedAt != null).OrderByDescending(m => m.Id)
            .Select(m => new { m.LastError, m.FailedAt }).FirstOrDefaultAsync(cancellationToken);
        var sent = await mails.CountAsync(m => m.SentAt != null && m.SentAt >= dayAgo, cancellationToken);
        var waiting = await db.Notices.AsNoTracking().CountAsync(n => n.MailId == null, cancellationToken);
        return new MailStatusView(
            o.Enabled,
            Detail(o),
            pending,
            retrying,
            retryError,
            oldestPending,
            failed,
            lastFailed?.LastError,
            lastFailed?.FailedAt,
            sent,
            waiting);
    }

    /// <summary>How mail goes out, in words, or that it is off.</summary>
    public static string Detail(MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return OffDetail;
        }

        var login = string.IsNullOrWhiteSpace(options.UserName) ? "" : $", logging in as {options.UserName}";
        return $"SMTP to {SmtpConnection.Describe(options)}{login}, from {options.From}; each tool's events are gathered for {Duration.Format(options.Window)}";
    }
}
