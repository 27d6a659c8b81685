using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Toolgrid.Notifications;

/// <summary>Checks <see cref="MailOptions"/>, reporting every failure at once.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    private const string Section = MailOptions.Section;

    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        var security = options.ParsedSecurity;
        if (security is null)
        {
            failures.Add($"{Section}:Security is \"{options.Security}\"; use none, starttls or tls.");
        }

        if (options.Port is { } port && port is < 1 or > 65535)
        {
            failures.Add($"{Section}:Port must be between 1 and 65535 (it is {port}).");
        }
        else if (options.Port == 465 && security == MailSecurity.StartTls)
        {
            failures.Add($"{Section}:Port 465 speaks TLS from the first byte: use Security tls there, or port 587 for starttls.");
        }
        else if (options.Port is 25 or 587 && security == MailSecurity.Tls)
        {
            failures.Add($"{Section}:Port {options.Port} speaks plain SMTP first: use Security starttls there, or port 465 for tls.");
        }

        if (string.IsNullOrWhiteSpace(options.UserName) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add($"{Section}:UserName and {Section}:Password go together: set both to log in, or neither.");
        }

        if (!string.IsNullOrWhiteSpace(options.UserName) && security == MailSecurity.None && options.Enabled && !IsLoopback(options.Host!))
        {
            failures.Add($"{Section}: logging in to {options.Host} without TLS would send the password in clear text: use Security starttls or tls.");
        }

        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.From))
            {
                failures.Add($"{Section}:From is required when mail is on ({Section}:Host is set): the sender, e.g. \"Toolgrid <toolgrid@example.org>\".");
            }
            else if (!MailboxAddress.TryParse(options.From, out var from) || string.IsNullOrEmpty(from.Domain))
            {
                failures.Add($"{Section}:From \"{options.From}\" is not a mail address, e.g. \"Toolgrid <toolgrid@example.org>\".");
            }

            if (string.IsNullOrWhiteSpace(options.AddressFormat))
            {
                failures.Add($"{Section}:AddressFormat is required when mail is on: maintainers' addresses, with {{user}} for the login name, e.g. \"{{user}}@example.org\".");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.AddressFormat))
        {
            var sample = options.AddressFormat.Trim().Replace("{user}", "alice", StringComparison.Ordinal);
            if (!options.AddressFormat.Contains("{user}", StringComparison.Ordinal))
            {
                failures.Add($"{Section}:AddressFormat \"{options.AddressFormat}\" has no {{user}}: write it like \"{{user}}@example.org\".");
            }
            else if (!MailboxAddress.TryParse(sample, out var address) || string.IsNullOrEmpty(address.Domain) || address.Address != sample)
            {
                failures.Add($"{Section}:AddressFormat \"{options.AddressFormat}\" does not make a mail address (for alice: \"{sample}\"); write it like \"{{user}}@example.org\".");
            }
        }

        if (options.MessageIdDomain is { } domain && (string.IsNullOrWhiteSpace(domain) || domain.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '@')))
        {
            failures.Add($"{Section}:MessageIdDomain \"{domain}\" is not a domain name.");
        }

        Positive(failures, nameof(options.Window), options.Window);
        Positive(failures, nameof(options.PollInterval), options.PollInterval);
        Positive(failures, nameof(options.FirstRetryDelay), options.FirstRetryDelay);
        Positive(failures, nameof(options.Timeout), options.Timeout);
        if (options.MaxRetryDelay < options.FirstRetryDelay)
        {
            failures.Add($"{Section}:MaxRetryDelay ({options.MaxRetryDelay}) must be at least FirstRetryDelay ({options.FirstRetryDelay}).");
        }

        if (options.MaxAttempts is < 1 or > 1000)
        {
            failures.Add($"{Section}:MaxAttempts must be between 1 and 1000 (it is {options.MaxAttempts}).");
        }

        if (options.MailsPerPass < 1)
        {
            failures.Add($"{Section}:MailsPerPass must be at least 1 (it is {options.MailsPerPass}).");
        }

        if (options.ExcerptLines is < 0 or > 1000)
        {
            failures.Add($"{Section}:ExcerptLines must be between 0 and 1000 (it is {options.ExcerptLines}).");
        }

        // Two files' excerpts, with their headings, must fit a notice's 16 KiB.
        if (options.ExcerptBytes is < 0 or > 7 * 1024)
        {
            failures.Add($"{Section}:ExcerptBytes must be between 0 and 7168 (it is {options.ExcerptBytes}).");
        }

        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone.Trim(), out _))
        {
            failures.Add($"{Section}:TimeZone \"{options.TimeZone}\" is not a known IANA time zone (e.g. Europe/Berlin, UTC).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:{name} must be positive (it is {value}).");
        }
    }

    private static bool IsLoopback(string host) =>
        host.Trim() is "localhost" || (IPAddress.TryParse(host.Trim(), out var address) && IPAddress.IsLoopback(address));
}
