using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Mail to maintainers, end to end: a job's failure is recorded as a notice by the controller,
/// gathered per tool over the window, and mailed over SMTP to a real server on loopback.
/// </summary>
/// <remarks>
/// "No other mail came" is proven by a later mail that did come (a failure after the others,
/// mailed a whole window later), never by a wait: the notifier sends in order of due time, so a
/// second copy or a split of an earlier mail would have come before it.
/// </remarks>
[Collection(MailShared.Name)]
public sealed class MailTests(MailPlatform mail)
{
    /// <summary>Only catches a hang.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Platform Platform => mail.Platform;

    [RootFact]
    public async Task A_failing_job_mails_every_maintainer_once_per_window_with_its_exit_code_and_output()
    {
        await mail.Smtp.StartAsync();
        const string tool = "mail-fail";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync("alice", "maintainers", "add", tool, Platform.Person("bob"));

        // Two failures within one window: one mail tells of both. Both fail on one event the test
        // makes (a file in the tool's home), however slowly their runs started.
        var go = Path.Combine(Platform.HomeOf(tool), "go");
        var first = Platform.CliAsync("alice", "jobs", "run", "fetch", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "until [ -e go ]; do sleep 0.1; done; echo fetched-half-of-it; echo fetch-broke-here >&2; exit 3");
        var second = Platform.CliAsync("bob", "jobs", "run", "index", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "until [ -e go ]; do sleep 0.1; done; echo index-went-wrong; exit 4");
        var quiet = Platform.CliAsync("alice", "jobs", "run", "silent", "--tool", tool, "--wait",
            "--command", "echo nobody-asked-for-mail; exit 5");
        await Platform.WaitForRunAsync(tool, "fetch", run => run.GetProperty("state").GetString() == "running");
        await Platform.WaitForRunAsync(tool, "index", run => run.GetProperty("state").GetString() == "running");
        await File.WriteAllTextAsync(go, "");
        var results = await Task.WhenAll(first, second, quiet);
        Assert.True(results[0].ExitCode == 3, results[0].ToString());
        Assert.True(results[1].ExitCode == 4, results[1].ToString());
        Assert.True(results[2].ExitCode == 5, results[2].ToString());

        var message = (await mail.Smtp.WaitForAsync(tool, 1, Patience, () => Platform.Log))[0];

        // Every maintainer, in the envelope and in the header.
        foreach (var person in new[] { "alice", "bob" })
        {
            Assert.Contains(MailPlatform.AddressOf(person), message.RcptTo, StringComparison.Ordinal);
            Assert.Contains(MailPlatform.AddressOf(person), message.To, StringComparison.Ordinal);
        }

        Assert.Contains(tool, message.Subject, StringComparison.Ordinal);
        Assert.Contains("2 job events", message.Subject, StringComparison.Ordinal);
        Assert.Contains("exit code 3", message.Body, StringComparison.Ordinal);
        Assert.Contains("exit code 4", message.Body, StringComparison.Ordinal);
        Assert.Contains("fetched-half-of-it", message.Body, StringComparison.Ordinal);
        Assert.Contains("fetch-broke-here", message.Body, StringComparison.Ordinal);
        Assert.Contains("index-went-wrong", message.Body, StringComparison.Ordinal);
        Assert.Contains($"toolgrid jobs show fetch --tool {tool}", message.Body, StringComparison.Ordinal);

        // A job with the default (none) mails nobody.
        Assert.DoesNotContain("silent", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody-asked-for-mail", message.Body, StringComparison.Ordinal);

        // A failure after that mail went out starts a new window, and a new mail; by the time it
        // has come, any other mail about the first two would have come before it.
        var again = await Platform.CliAsync("alice", "jobs", "run", "refetch", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "echo second-try-output; exit 7");
        Assert.True(again.ExitCode == 7, again.ToString());
        var mails = await mail.Smtp.WaitForAsync(tool, m => m.Any(x => x.Body.Contains("exit code 7", StringComparison.Ordinal)), "the mail of refetch", Patience, () => Platform.Log);
        Assert.Equal(2, mails.Count);
        var later = Assert.Single(mails, m => m.MessageId != message.MessageId);
        Assert.Contains("second-try-output", later.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("exit code 3", later.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("exit code 4", later.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// An admin's answers to a tool's request for a dedicated queue (<c>toolgrid queues deny</c>,
    /// <c>grant</c>, <c>revoke</c>) reach every maintainer through the SMTP server, each saying
    /// who decided, what and what to do next.
    /// </summary>
    [RootFact]
    public async Task An_admins_deny_grant_and_revoke_of_a_queue_are_mailed_to_every_maintainer()
    {
        await mail.Smtp.StartAsync();
        const string tool = "mail-queue";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync("alice", "maintainers", "add", tool, Platform.Person("bob"));

        await Platform.MustAsync("alice", "queues", "request", "dedicated", "--tool", tool, "--reason", "a bot that needs quiet nodes");
        await Platform.MustAsync(null, "queues", "deny", "dedicated", tool, "--reason", "the dedicated nodes are for web services");
        await Platform.MustAsync("bob", "queues", "request", "dedicated", "--tool", tool, "--reason", "it is a web service now");
        await Platform.MustAsync(null, "queues", "grant", "dedicated", tool);
        await Platform.MustAsync(null, "queues", "revoke", "dedicated", tool);
        var mails = await mail.Smtp.WaitForAsync(tool, m => m.Count >= 3, "the deny, grant and revoke mails", Patience, () => Platform.Log);

        var denied = Assert.Single(mails, m => m.Subject.Contains("request for queue dedicated denied", StringComparison.Ordinal));
        var granted = Assert.Single(mails, m => m.Subject.Contains("queue dedicated granted", StringComparison.Ordinal));
        var revoked = Assert.Single(mails, m => m.Subject.Contains("queue dedicated revoked", StringComparison.Ordinal));
        foreach (var message in new[] { denied, granted, revoked })
        {
            foreach (var person in new[] { "alice", "bob" })
            {
                Assert.Contains(MailPlatform.AddressOf(person), message.RcptTo, StringComparison.Ordinal);
                Assert.Contains(MailPlatform.AddressOf(person), message.To, StringComparison.Ordinal);
            }
        }

        Assert.Contains($"denied the request of {Platform.Person("alice")}", denied.Body, StringComparison.Ordinal);
        Assert.Contains("Why: the dedicated nodes are for web services", denied.Body, StringComparison.Ordinal);
        Assert.Contains($"granted tool {tool} the queue dedicated", granted.Body, StringComparison.Ordinal);
        Assert.Contains("--queue dedicated", granted.Body, StringComparison.Ordinal);
        Assert.Contains($"toolgrid queues request dedicated --tool {tool}", revoked.Body, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task While_the_mail_server_is_down_mail_is_retried_and_arrives_once_it_is_up_without_duplicates()
    {
        const string tool = "mail-late";
        var logFrom = Platform.Log.Length;
        await mail.Smtp.StopAsync();
        try
        {
            await Platform.MustAsync("carol", "tools", "create", tool);
            var failed = await Platform.CliAsync("carol", "jobs", "run", "nightly", "--tool", tool, "--emails", "onfailure", "--wait",
                "--command", "echo the-late-news; exit 9");
            Assert.True(failed.ExitCode == 9, failed.ToString());

            // Admins see the mail waiting and why: in the API's status, in toolgrid status, in the log.
            var status = await WaitForMailStatusAsync(m => m.GetProperty("retrying").GetInt32() >= 1 && m.GetProperty("pending").GetInt32() >= 1);
            Assert.Contains("could not connect", status.GetProperty("retryError").GetString(), StringComparison.Ordinal);
            var shown = await Platform.MustAsync(null, "status");
            Assert.Contains("Mail queue", shown, StringComparison.Ordinal);
            Assert.Contains("being retried", shown, StringComparison.Ordinal);
            Assert.Contains("could not connect", shown, StringComparison.Ordinal);
            Assert.Contains("could not connect to the mail server", Platform.Log, StringComparison.OrdinalIgnoreCase);

            // A maintainer is not an admin: the outbox is not theirs to see.
            var asCarol = await Platform.CliAsync("carol", "status");
            Assert.DoesNotContain("Mail queue", asCarol.Stdout, StringComparison.Ordinal);

            // It fails more than once while the server is down: two failed attempts in the log.
            await WrapperHarness.WaitUntilAsync(
                () => Task.FromResult(ConnectFailures(logFrom) >= 2),
                () => $"{ConnectFailures(logFrom)} failed attempts to connect to the mail server:\n{Platform.Log}",
                Patience);
            Assert.Empty(await mail.Smtp.MessagesAboutAsync(tool));
        }
        finally
        {
            await mail.Smtp.StartAsync();
        }

        var mails = await mail.Smtp.WaitForAsync(tool, 1, Patience, () => Platform.Log);
        var message = Assert.Single(mails);
        Assert.Contains(MailPlatform.AddressOf("carol"), message.RcptTo, StringComparison.Ordinal);
        Assert.Contains("exit code 9", message.Body, StringComparison.Ordinal);
        Assert.Contains("the-late-news", message.Body, StringComparison.Ordinal);

        // Sent means sent: nothing left to send, and no second copy before the next failure's
        // mail, a whole window later (far longer than the longest wait between two attempts).
        await WaitForMailStatusAsync(m => m.GetProperty("pending").GetInt32() == 0);
        var later = await Platform.CliAsync("carol", "jobs", "run", "nightly-again", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "echo the-later-news; exit 9");
        Assert.True(later.ExitCode == 9, later.ToString());
        mails = await mail.Smtp.WaitForAsync(tool, m => m.Any(x => x.Body.Contains("the-later-news", StringComparison.Ordinal)), "the mail of nightly-again", Patience, () => Platform.Log);
        Assert.Equal(2, mails.Count);
        Assert.Single(mails, m => m.Body.Contains("the-late-news", StringComparison.Ordinal));
        var settled = await WaitForMailStatusAsync(m => m.GetProperty("pending").GetInt32() == 0);
        Assert.Equal(0, settled.GetProperty("failed").GetInt32());
    }

    /// <summary>How often toolgridd has logged that it could not connect to the mail server, since <paramref name="from"/> in its log.</summary>
    private int ConnectFailures(int from) =>
        Regex.Count(Platform.Log[from..], "Could not connect to the mail server");

    /// <summary>Waits until the mail part of <c>/api/v1/status</c>, as root (an admin), satisfies <paramref name="condition"/>.</summary>
    private async Task<JsonElement> WaitForMailStatusAsync(Func<JsonElement, bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (true)
        {
            using var client = Platform.RootClient();
            var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/status");
            Assert.True(status.TryGetProperty("mail", out var mailStatus) && mailStatus.ValueKind == JsonValueKind.Object, $"no mail in the status: {status}");
            if (condition(mailStatus))
            {
                return mailStatus;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"the mail status did not get there: {mailStatus}\n{Platform.Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }
}
