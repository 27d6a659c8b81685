namespace Toolgrid.Core.Notifications;

/// <summary>A mail composed by <see cref="MailBatcher"/> and the notices it tells of: stored together, in one transaction.</summary>
/// <param name="Mail">The mail, not yet stored: pending, or already failed when it has no recipient.</param>
/// <param name="Notices">The notices whose <see cref="Notice.MailId"/> is to be this mail's.</param>
public sealed record MailBatch(Mail Mail, IReadOnlyList<Notice> Notices);
