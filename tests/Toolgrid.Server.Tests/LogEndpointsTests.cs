using System.Diagnostics;
using System.Net;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <c>GET /api/v1/tools/{tool}/jobs/{job}/logs</c>: the tail of a job's log files. In single-user
/// mode a tool's home is a plain directory, so the tests write the files a run would have written.
/// </summary>
public sealed class LogEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    private const string Secret = "TOP-SECRET: the root password is hunter2";

    /// <summary>Far longer than any answer here should take: it only catches a hang.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [ApiFact]
    public async Task Logs_of_stdout_show_the_whole_file_when_it_is_short()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-whole", "fetch");
        await WriteAsync("tail-whole", "fetch.out", "line 1\nline 2\nline 3\n");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-whole/jobs/fetch/logs?stream=stdout");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("line 1\nline 2\nline 3\n", await response.Content.ReadAsStringAsync());
    }

    [ApiTheory]
    [InlineData(2, "line 4\nline 5\n")]
    [InlineData(1, "line 5\n")]
    [InlineData(0, "")]
    [InlineData(50, "line 1\nline 2\nline 3\nline 4\nline 5\n")]
    public async Task Logs_with_lines_show_only_the_last_lines(int lines, string expected)
    {
        using var nobody = factory.As(People.Nobody);
        var tool = $"tail-lines-{lines}";
        await NewJobAsync(nobody, tool, "fetch");
        await WriteAsync(tool, "fetch.out", "line 1\nline 2\nline 3\nline 4\nline 5\n");

        using var response = await nobody.GetAsync($"/api/v1/tools/{tool}/jobs/fetch/logs?stream=stdout&lines={lines}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_count_an_unfinished_last_line_as_a_line()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-partial", "fetch");
        await WriteAsync("tail-partial", "fetch.err", "first\nsecond\nhalf a li");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-partial/jobs/fetch/logs?stream=stderr&lines=2");

        Assert.Equal("second\nhalf a li", await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_of_all_streams_put_a_header_before_each_file()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-both", "fetch");
        await WriteAsync("tail-both", "fetch.out", "out 1\nout 2\n");
        await WriteAsync("tail-both", "fetch.err", "err 1\n");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-both/jobs/fetch/logs");

        Assert.Equal("==> fetch.out <==\nout 1\nout 2\n\n==> fetch.err <==\nerr 1\n", await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_of_a_job_that_wrote_nothing_yet_are_empty()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-none", "fetch");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-none/jobs/fetch/logs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_read_the_files_the_job_was_given()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("tail-custom");
        await nobody.RunJobAsync("tail-custom", new { name = "fetch", command = "true", filelogStdout = "logs/fetch.log" });
        await WriteAsync("tail-custom", "fetch.out", "not this one\n");
        await WriteAsync("tail-custom", "logs/fetch.log", "this one\n");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-custom/jobs/fetch/logs?stream=stdout");

        Assert.Equal("this one\n", await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_with_an_unknown_stream_answer_400_about_the_stream()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-stream", "fetch");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-stream/jobs/fetch/logs?stream=both");

        var problem = await response.ValidationProblemAsync();
        Assert.Equal("'both' is not a stream: use all, stdout or stderr.", problem.MessageFor("stream"));
    }

    [ApiFact]
    public async Task Logs_with_a_negative_number_of_lines_answer_400_about_the_lines()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-negative", "fetch");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-negative/jobs/fetch/logs?lines=-3");

        var problem = await response.ValidationProblemAsync();
        Assert.Equal("the number of lines cannot be negative; got -3.", problem.MessageFor("lines"));
    }

    [ApiFact]
    public async Task Logs_of_a_job_run_without_file_logs_answer_404_no_logs()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("tail-nolog");
        await nobody.RunJobAsync("tail-nolog", new { name = "quiet", command = "true", filelog = false });

        using var response = await nobody.GetAsync("/api/v1/tools/tail-nolog/jobs/quiet/logs");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "no-logs");
        Assert.Contains("--no-filelog", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Logs_of_an_unknown_job_answer_404_job_not_found()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-unknown", "fetch");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-unknown/jobs/fetc/logs");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "job-not-found");
        Assert.Contains("Did you mean 'fetch'?", problem.Detail, StringComparison.Ordinal);
    }

    [ApiTheory]
    [InlineData("stdout")]
    [InlineData("all")]
    public async Task Logs_through_a_symbolic_link_out_of_the_home_answer_403_and_show_nothing_of_the_target(string stream)
    {
        using var nobody = factory.As(People.Nobody);
        var tool = $"tail-link-{stream}";
        await NewJobAsync(nobody, tool, "fetch");
        var outside = Path.Combine(factory.Root, $"outside-{stream}.txt");
        await File.WriteAllTextAsync(outside, Secret + "\n");
        await WriteAsync(tool, "fetch.err", "harmless\n");
        File.CreateSymbolicLink(Path.Combine(factory.HomeOf(tool), "fetch.out"), outside);

        using var response = await nobody.GetAsync($"/api/v1/tools/{tool}/jobs/fetch/logs?stream={stream}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "log-outside-home");
        Assert.Contains("fetch.out leads outside the tool's home", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Logs_through_a_symbolic_link_within_the_home_are_shown()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-inner-link", "fetch");
        await WriteAsync("tail-inner-link", "archive/today.out", "kept inside\n");
        File.CreateSymbolicLink(Path.Combine(factory.HomeOf("tail-inner-link"), "fetch.out"), "archive/today.out");

        using var response = await nobody.GetAsync("/api/v1/tools/tail-inner-link/jobs/fetch/logs?stream=stdout");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("kept inside\n", await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_from_a_named_pipe_are_refused_at_once_rather_than_hanging()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-fifo", "fetch");
        await MakeFifoAsync(Path.Combine(factory.HomeOf("tail-fifo"), "fetch.out"));

        using var response = await nobody.GetAsync("/api/v1/tools/tail-fifo/jobs/fetch/logs?stream=stdout").WaitAsync(TimeSpan.FromSeconds(30));

        await response.ProblemAsync(HttpStatusCode.Forbidden, "log-not-a-file");
    }

    [ApiFact]
    public async Task Logs_with_follow_on_a_finished_job_show_the_files_and_end()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-follow-done", "fetch");
        await WriteAsync("tail-follow-done", "fetch.out", "all done\n");
        await factory.RecordExitAsync("tail-follow-done", "fetch", exitCode: 0);

        using var response = await nobody.GetAsync("/api/v1/tools/tail-follow-done/jobs/fetch/logs?stream=stdout&follow=true").WaitAsync(Generous);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("all done\n", await response.Content.ReadAsStringAsync());
    }

    [ApiFact]
    public async Task Logs_with_follow_stream_what_the_job_writes_until_it_has_ended()
    {
        using var nobody = factory.As(People.Nobody);
        await NewJobAsync(nobody, "tail-follow", "fetch");
        await WriteAsync("tail-follow", "fetch.out", "first\n");

        using var request = new HttpRequestMessage(HttpMethod.Get, Http.Url("/api/v1/tools/tail-follow/jobs/fetch/logs?stream=stdout&follow=true"));
        using var response = await nobody.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Generous);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(Generous);
        await File.AppendAllTextAsync(Path.Combine(factory.HomeOf("tail-follow"), "fetch.out"), "second\n");
        var second = await reader.ReadLineAsync().WaitAsync(Generous);
        await factory.RecordExitAsync("tail-follow", "fetch", exitCode: 0);
        var rest = await reader.ReadToEndAsync().WaitAsync(Generous);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("first", "second", ""), (first!, second!, rest));
    }

    [ApiFact]
    public async Task Logs_are_refused_to_a_non_maintainer()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await NewJobAsync(nobody, "tail-private", "fetch");
        await WriteAsync("tail-private", "fetch.out", Secret + "\n");

        using var response = await daemon.GetAsync("/api/v1/tools/tail-private/jobs/fetch/logs");

        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
    }

    private static async Task NewJobAsync(HttpClient client, string tool, string job)
    {
        await client.CreateToolAsync(tool);
        await client.RunJobAsync(tool, job);
    }

    private async Task WriteAsync(string tool, string relative, string text)
    {
        var path = Path.Combine(factory.HomeOf(tool), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text);
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("mkfifo did not start");
        var error = await mkfifo.StandardError.ReadToEndAsync();
        await mkfifo.WaitForExitAsync();
        Assert.True(mkfifo.ExitCode == 0, $"mkfifo {path} failed: {error}");
    }
}
