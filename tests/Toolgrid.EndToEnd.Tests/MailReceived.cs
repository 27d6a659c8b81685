namespace Toolgrid.EndToEnd.Tests;

/// <summary>A message as the test SMTP server stored it, decoded.</summary>
/// <param name="Subject">The Subject header.</param>
/// <param name="To">The To header.</param>
/// <param name="RcptTo">The envelope recipients, as the server recorded them (<c>X-RcptTo</c>).</param>
/// <param name="Tool">The tool it is about (<c>X-Toolgrid-Tool</c>).</param>
/// <param name="MessageId">The Message-Id header.</param>
/// <param name="Body">The plain-text body.</param>
public sealed record MailReceived(string Subject, string To, string RcptTo, string Tool, string MessageId, string Body);
