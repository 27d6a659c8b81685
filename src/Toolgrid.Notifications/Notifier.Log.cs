using Microsoft.Extensions.Logging;

namespace Toolgrid.Notifications;

public sealed partial class Notifier
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Mail goes out through {Server}; each tool's events are gathered for {Window}")]
    private partial void LogStarted(string server, TimeSpan window);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Mail is off (Toolgrid:Mail:Host is not set): notices are gathered, and their mails kept as not sent")]
    private partial void LogMailOff();

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "A notifier step failed; trying again at the next pass")]
    private partial void LogStepFailed(Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "The notices of {Tool} could not be gathered into a mail; trying again at the next pass")]
    private partial void LogBatchFailed(Exception exception, string tool);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The notices of {Tool} changed while they were gathered into a mail; trying again at the next pass")]
    private partial void LogBatchRaced(string tool);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Mail {MailId} about {Tool}: {Notices} event(s), to {Recipients}")]
    private partial void LogMailWritten(long mailId, string tool, int notices, string recipients);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Mail {MailId} about {Tool} ({Notices} event(s)) is kept, not sent: {Reason}")]
    private partial void LogMailNotSendable(long mailId, string tool, int notices, string? reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Could not connect to the mail server {Server}; {Mails} due mail(s) will be retried: {Error}")]
    private partial void LogConnectFailed(string server, int mails, string error);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Mail {MailId} about {Tool} sent to {Recipients} (attempt {Attempt}, Message-Id {MessageId})")]
    private partial void LogMailSent(long mailId, string tool, string recipients, int attempt, string messageId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Mail {MailId} about {Tool}: attempt {Attempt} of {Attempts} failed; next at {NextAttemptAt}: {Error}")]
    private partial void LogAttemptFailed(long mailId, string tool, int attempt, int attempts, DateTimeOffset? nextAttemptAt, string error);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Mail {MailId} about {Tool} failed for good after {Attempts} attempt(s); it is kept in the outbox: {Error}")]
    private partial void LogMailFailed(long mailId, string tool, int attempts, string error);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Mail {MailId}: {Note}")]
    private partial void LogSomeRecipientsRefused(long mailId, string note);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Debug, Message = "Closing the SMTP connection failed")]
    private partial void LogDisconnectFailed(Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Mail {MailId} was changed by someone else while it was sent; leaving it to them")]
    private partial void LogRecordConflict(Exception exception, long mailId);
}
