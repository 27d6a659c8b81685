using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Waiting;
using Toolgrid.Store;

namespace Toolgrid.Notifications;

/// <summary>
/// The controller's mail loop: gathers each tool's notices whose window has closed into one mail
/// of the outbox, then sends the mails that are due over SMTP, retrying failures with backoff.
/// Runs in exactly one controller.
/// </summary>
/// <remarks>
/// <para>When it looks: where the store's commits are heard (<see cref="StoreCommitWatch"/>), within
/// <see cref="MailOptions.PollInterval"/> of a commit (a notice, a mail), and otherwise when the
/// next thing falls due (the oldest unmailed notice's window closes, a failed mail's retry), at
/// most <see cref="LongestRest"/> away; else every <see cref="MailOptions.PollInterval"/>.</para>
/// </remarks>
/// <remarks>
/// <para>The guarantees, and where they are made:</para>
/// <list type="bullet">
/// <item>Nothing is lost: a notice is written with the run's change that caused it (by the
/// controller); a mail is written, and its notices marked with it, in one transaction
/// (<see cref="BatchToolAsync"/>); a mail leaves the outbox only as sent or as failed, never
/// deleted.</item>
/// <item>No notice is mailed twice: a notice is taken into a mail only while its
/// <see cref="Notice.MailId"/> is null, in the same transaction that sets it.</item>
/// <item>A mail is delivered at least once: it is marked sent only after the SMTP server accepted
/// it. A crash between the two sends it again at the next start, with the same Message-Id
/// (<see cref="MailMessages.MessageId"/>), so a duplicate can be recognised.</item>
/// <item>Jobs never wait for mail: runs only write notices; this loop does all the rest.</item>
/// </list>
/// </remarks>
public sealed partial class Notifier(
    IDbContextFactory<ToolgridDbContext> contexts,
    IOptions<MailOptions> options,
    MailDeliveryState state,
    TimeProvider time,
    ILogger<Notifier> logger,
    StoreCommitWatch? commits = null) : BackgroundService
{
    internal const string MailOff = "not sent: mail is off (Toolgrid:Mail:Host is not set)";

    /// <summary>The longest the loop sleeps with nothing due, where commits are heard: a safety net, not a schedule.</summary>
    internal static readonly TimeSpan LongestRest = TimeSpan.FromMinutes(5);

    private readonly MailBatcher _batcher = new(options.Value.ToBatchSettings());

    private long _rests;

    /// <summary>How many times the loop has come to rest after a pass.</summary>
    internal long Rests => Interlocked.Read(ref _rests);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Enabled)
        {
            var server = SmtpConnection.Describe(o);
            LogStarted(server, o.Window);
        }
        else
        {
            LogMailOff();
        }

        var signal = new WakeSignal();
        using var listening = commits is { Watching: true } ? commits.Listen(o.PollInterval, signal.Wake) : null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Each step fails on its own: a store that cannot batch must not keep mail that is
            // ready from going out, nor the reverse.
            await TryAsync(BatchAsync, stoppingToken);
            await TryAsync(SendAsync, stoppingToken);
            try
            {
                var wait = listening is null ? o.PollInterval : await RestAsync(stoppingToken);
                Interlocked.Increment(ref _rests);
                await signal.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// How long the loop may sleep when it hears of every commit: until the next thing falls due,
    /// at most <see cref="LongestRest"/>; a <see cref="MailOptions.PollInterval"/> when something
    /// is due already (a pass left it: too many mails for one pass, a race) or the store cannot say.
    /// </summary>
    internal async Task<TimeSpan> RestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        DateTimeOffset? due;
        try
        {
            due = await NextDueAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogStepFailed(e);
            return o.PollInterval;
        }

        var now = time.GetUtcNow();
        return due switch
        {
            null => LongestRest,
            { } at when at <= now => o.PollInterval,
            { } at => at - now < LongestRest ? at - now : LongestRest,
        };
    }

    /// <summary>When the next thing falls due: the oldest unmailed notice's window closes, or a mail is to be sent (mail on); null when nothing waits.</summary>
    internal async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var oldest = await db.Notices.AsNoTracking()
            .Where(n => n.MailId == null)
            .OrderBy(n => n.At)
            .Select(n => (DateTimeOffset?)n.At)
            .FirstOrDefaultAsync(cancellationToken);
        var batch = oldest + _batcher.Settings.Window;
        if (!options.Value.Enabled)
        {
            return batch;
        }

        var send = await db.Mails.AsNoTracking()
            .Where(m => m.NextAttemptAt != null)
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
        return batch is null || (send is not null && send < batch) ? send : batch;
    }

    /// <summary>One pass: batch, then send.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        await BatchAsync(cancellationToken);
        await SendAsync(cancellationToken);
    }

    /// <summary>Writes a mail for each tool whose oldest unmailed notice is a window old; returns how many.</summary>
    public async Task<int> BatchAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - _batcher.Settings.Window;
        List<string> tools;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            tools = await db.Notices.AsNoTracking()
                .Where(n => n.MailId == null && n.At <= cutoff)
                .Select(n => n.ToolName)
                .Distinct()
                .ToListAsync(cancellationToken);
        }

        var written = 0;
        foreach (var tool in tools)
        {
            try
            {
                if (await BatchToolAsync(tool, now, cancellationToken))
                {
                    written++;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogBatchFailed(e, tool);
            }
        }

        return written;
    }

    /// <summary>Writes one tool's mail and marks its notices, in one transaction.</summary>
    private async Task<bool> BatchToolAsync(string toolName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // SQLite: BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so the write lock is held from
        // the read on, and no other writer can slip in between.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var notices = await db.Notices.AsNoTracking()
            .Where(n => n.MailId == null && n.ToolName == toolName)
            .OrderBy(n => n.Id)
            .Take(_batcher.Settings.MaxNoticesPerMail)
            .ToListAsync(cancellationToken);
        if (!_batcher.IsDue(notices, now))
        {
            return false;
        }

        var tool = await db.Tools.AsNoTracking().Include(t => t.Maintainers).FirstOrDefaultAsync(t => t.Name == toolName, cancellationToken);
        var batch = _batcher.Compose(toolName, tool, notices, now);
        var mail = batch.Mail;
        if (!options.Value.Enabled && !MailTransitions.NotSendable(mail, MailOff, now))
        {
            // Not sendable for a reason of its own too: mail being off comes first.
            mail.LastError = $"{MailOff}; besides, {mail.LastError}";
        }

        db.Mails.Add(mail);
        await db.SaveChangesAsync(cancellationToken);

        // Nothing mailed twice: only notices still in no mail are taken, and all of them or none.
        long? mailId = mail.Id;
        var ids = batch.Notices.Select(n => n.Id).ToList();
        var marked = await db.Notices
            .Where(n => ids.Contains(n.Id) && n.MailId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.MailId, mailId), cancellationToken);
        if (marked != ids.Count)
        {
            await transaction.RollbackAsync(cancellationToken);
            LogBatchRaced(toolName);
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        if (mail.FailedAt is null)
        {
            LogMailWritten(mail.Id, toolName, ids.Count, mail.Recipients);
        }
        else
        {
            LogMailNotSendable(mail.Id, toolName, ids.Count, mail.LastError);
        }

        return true;
    }

    /// <summary>Sends the mails that are due (at most <see cref="MailOptions.MailsPerPass"/>) over one connection; returns how many went out.</summary>
    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.Mails
            .Where(m => m.NextAttemptAt != null && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt)
            .ThenBy(m => m.Id)
            .Take(o.MailsPerPass)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        RecipientTrackingSmtpClient client;
        try
        {
            client = await SmtpConnection.OpenAsync(o, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The server cannot be reached: the attempt of every mail that was due failed.
            var server = SmtpConnection.Describe(o);
            var reason = Describe(e);
            var error = $"could not connect to {server}: {reason}";
            LogConnectFailed(server, due.Count, reason);
            state.Failed(error, now);
            foreach (var mail in due)
            {
                await RecordAsync(db, mail, m => MailTransitions.AttemptFailed(m, error, time.GetUtcNow(), o.RetryPolicy));
            }

            return 0;
        }

        var sent = 0;
        using (client)
        {
            // Checked at start (MailOptionsValidator): From is an address when mail is on.
            var from = MailboxAddress.Parse(o.From!);
            var domain = string.IsNullOrWhiteSpace(o.MessageIdDomain) ? from.Domain : o.MessageIdDomain.Trim();
            foreach (var mail in due)
            {
                if (await SendOneAsync(db, client, mail, from, domain, cancellationToken))
                {
                    sent++;
                }

                if (!client.IsConnected)
                {
                    // The connection broke: the rest wait for the next pass, with a new one.
                    break;
                }
            }

            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(quit: true, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Every mail of the pass is recorded already; a failed QUIT changes nothing.
                    LogDisconnectFailed(e);
                }
            }
        }

        return sent;
    }

    private async Task<bool> SendOneAsync(ToolgridDbContext db, RecipientTrackingSmtpClient client, Mail mail, MailboxAddress from, string domain, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (message, badAddresses) = MailMessages.Build(mail, from, domain);
        using (message)
        {
            if (message.To.Count == 0)
            {
                var reason = "no recipient has a valid address: " + string.Join(", ", badAddresses);
                await RecordAsync(db, mail, m => MailTransitions.NotSendable(m, reason, time.GetUtcNow()));
                LogMailNotSendable(mail.Id, mail.ToolName, 0, reason);
                return false;
            }

            try
            {
                client.BeginMessage();
                await client.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var error = Describe(e);
                await RecordAsync(db, mail, m => MailTransitions.AttemptFailed(m, error, time.GetUtcNow(), o.RetryPolicy));
                state.Failed(error, time.GetUtcNow());
                if (mail.FailedAt is not null)
                {
                    LogMailFailed(mail.Id, mail.ToolName, mail.Attempts, error);
                }
                else
                {
                    LogAttemptFailed(mail.Id, mail.ToolName, mail.Attempts, o.MaxAttempts, mail.NextAttemptAt, error);
                }

                return false;
            }

            // The server has taken the mail. If toolgridd dies before the next write, the mail is
            // still pending and is sent again at the next start: at least once, never lost, and
            // the duplicate carries the same Message-Id.
            var left = badAddresses.Concat(client.Refused).ToList();
            var note = left.Count == 0 ? null : "sent, but not to: " + string.Join("; ", left);
            await RecordAsync(db, mail, m => MailTransitions.Sent(m, time.GetUtcNow(), note));
            state.Succeeded();
            LogMailSent(mail.Id, mail.ToolName, mail.Recipients, mail.Attempts, message.MessageId ?? "");
            if (note is not null)
            {
                LogSomeRecipientsRefused(mail.Id, note);
            }

            return true;
        }
    }

    /// <summary>Records an attempt's outcome at once, so that a crash loses at most the attempt under way.</summary>
    private async Task RecordAsync(ToolgridDbContext db, Mail mail, Func<Mail, bool> change)
    {
        if (!change(mail))
        {
            return;
        }

        try
        {
            // Not cancelled with the pass: the server's answer is in, and must not be lost to a shutdown.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException e)
        {
            // Only one controller sends; another writer means another controller took over.
            LogRecordConflict(e, mail.Id);
            db.Entry(mail).State = EntityState.Detached;
        }
    }

    private async Task TryAsync(Func<CancellationToken, Task<int>> step, CancellationToken stoppingToken)
    {
        try
        {
            await step(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogStepFailed(e);
        }
    }

    /// <summary>An error in words, for the mail's last error and the log: the SMTP status where there is one.</summary>
    internal static string Describe(Exception e) => e switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        SocketException socket => socket.Message,
        _ when e.InnerException is SocketException socket => socket.Message,
        _ => e.Message,
    };
}
