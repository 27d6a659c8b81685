using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Mail to maintainers, end to end: a job's failure is recorded as a notice by the controller,
/// gathered per tool over the window, and mailed over SMTP to a real server on loopback.
/// </summary>
[Collection(MailShared.Name)]
public sealed class MailTests(MailPlatform mail)
{
    private Platform Platform => mail.Platform;

    [RootFact]
    public async Task A_failing_job_mails_every_maintainer_once_per_window_with_its_exit_code_and_output()
    {
        await mail.Smtp.StartAsync();
        const string tool = "mail-fail";
        await Platform.MustAsync("alice", "tools", "create", tool);
        await Platform.MustAsync("alice", "maintainers", "add", tool, Platform.Person("bob"));

        // Two failures within one window: one mail tells of both.
        var first = Platform.CliAsync("alice", "jobs", "run", "fetch", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "echo fetched-half-of-it; echo fetch-broke-here >&2; exit 3");
        var second = Platform.CliAsync("bob", "jobs", "run", "index", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "echo index-went-wrong; exit 4");
        var quiet = Platform.CliAsync("alice", "jobs", "run", "silent", "--tool", tool, "--wait",
            "--command", "echo nobody-asked-for-mail; exit 5");
        var results = await Task.WhenAll(first, second, quiet);
        Assert.True(results[0].ExitCode == 3, results[0].ToString());
        Assert.True(results[1].ExitCode == 4, results[1].ToString());
        Assert.True(results[2].ExitCode == 5, results[2].ToString());

        var mails = await mail.Smtp.WaitForAsync(tool, 1, TimeSpan.FromSeconds(30), () => Platform.Log);
        await Task.Delay(MailPlatform.Window + TimeSpan.FromSeconds(1), TimeProvider.System);
        mails = await mail.Smtp.MessagesAboutAsync(tool);
        var message = Assert.Single(mails);

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

        // A failure after that mail went out starts a new window, and a new mail.
        var again = await Platform.CliAsync("alice", "jobs", "run", "refetch", "--tool", tool, "--emails", "onfailure", "--wait",
            "--command", "echo second-try-output; exit 7");
        Assert.True(again.ExitCode == 7, again.ToString());
        mails = await mail.Smtp.WaitForAsync(tool, 2, TimeSpan.FromSeconds(30), () => Platform.Log);
        var later = Assert.Single(mails, m => m.MessageId != message.MessageId);
        Assert.Contains("exit code 7", later.Body, StringComparison.Ordinal);
        Assert.Contains("second-try-output", later.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("exit code 3", later.Body, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task While_the_mail_server_is_down_mail_is_retried_and_arrives_once_it_is_up_without_duplicates()
    {
        const string tool = "mail-late";
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

            // Let it fail more than once while the server is down.
            await Task.Delay(MailPlatform.MaxRetryDelay + TimeSpan.FromSeconds(1), TimeProvider.System);
            Assert.Empty(await mail.Smtp.MessagesAboutAsync(tool));
        }
        finally
        {
            await mail.Smtp.StartAsync();
        }

        var mails = await mail.Smtp.WaitForAsync(tool, 1, TimeSpan.FromSeconds(30), () => Platform.Log);
        var message = Assert.Single(mails);
        Assert.Contains(MailPlatform.AddressOf("carol"), message.RcptTo, StringComparison.Ordinal);
        Assert.Contains("exit code 9", message.Body, StringComparison.Ordinal);
        Assert.Contains("the-late-news", message.Body, StringComparison.Ordinal);

        // Sent means sent: no further attempt, no second copy.
        await WaitForMailStatusAsync(m => m.GetProperty("pending").GetInt32() == 0);
        await Task.Delay(MailPlatform.MaxRetryDelay + TimeSpan.FromSeconds(1), TimeProvider.System);
        Assert.Single(await mail.Smtp.MessagesAboutAsync(tool));
        var settled = await WaitForMailStatusAsync(m => m.GetProperty("pending").GetInt32() == 0);
        Assert.Equal(0, settled.GetProperty("failed").GetInt32());
    }

    /// <summary>Waits until the mail part of <c>/api/v1/status</c>, as root (an admin), satisfies <paramref name="condition"/>.</summary>
    private async Task<JsonElement> WaitForMailStatusAsync(Func<JsonElement, bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
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
