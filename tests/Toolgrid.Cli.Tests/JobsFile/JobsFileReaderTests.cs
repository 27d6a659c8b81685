using Toolgrid.Cli.JobsFile;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.JobsFile;

/// <summary>Reading a <c>jobs.yaml</c>: every key Toolforge's jobs framework takes, and every problem at once.</summary>
public sealed class JobsFileReaderTests
{
    /// <summary>A file written for Toolforge, using each of its keys, as its own <c>jobs dump</c> writes some of them (quoted).</summary>
    private const string ToolforgeFile = """
        - name: fetch
          command: ./fetch.sh --all
          image: bookworm
          no-filelog: 'true'
          retry: 2
          mem: 500Mi
          cpu: 500m
          emails: onfailure
          mount: none
          timeout: 3600
          wait: true
        - name: bot
          command: ./bot.py
          image: python3.11
          continuous: true
          filelog: 'yes'
          filelog-stdout: logs/bot.out
          filelog-stderr: logs/bot.err
          health-check-http: /healthz
          port: 8080/tcp
          replicas: 1
        - name: checker
          command: ./check.sh
          image: bookworm
          continuous: true
          no-filelog: true
          health-check-script: ./alive.sh
        - name: nightly
          command: ./nightly.sh
          image: bookworm
          schedule: "17 3 * * *"
          no-filelog: false
          wait: false
        """;

    [Fact]
    public void Read_EveryToolforgeKey_IsAccepted()
    {
        var problems = new Problems();

        var file = JobsFileReader.Read(new StringReader(ToolforgeFile), "jobs.yaml", problems);

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        var jobs = file.Entries.ToDictionary(e => e.Request.Name!, e => e.Request, StringComparer.Ordinal);
        Assert.Equal(["fetch", "bot", "checker", "nightly"], file.Entries.Select(e => e.Request.Name));
        Assert.Equal((false, "3600", 2), (jobs["fetch"].Filelog, jobs["fetch"].Timeout, jobs["fetch"].Retry));
        Assert.Equal((true, 8080, 1, "/healthz"), (jobs["bot"].Filelog, jobs["bot"].Port, jobs["bot"].Replicas, jobs["bot"].HealthCheckHttp));
        Assert.Equal((false, "./alive.sh"), (jobs["checker"].Filelog, jobs["checker"].HealthCheckScript));
        Assert.Null(jobs["nightly"].Filelog);
        Assert.Contains(file.Warnings, w => w.Contains("image", StringComparison.Ordinal));
        Assert.Contains(file.Warnings, w => w.Contains("mount: none", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Wait_IsKeptForTheLoadToWaitOn()
    {
        var problems = new Problems();

        var file = JobsFileReader.Read(new StringReader(ToolforgeFile + "\n- {name: quick, command: ./q.sh, wait: 30}\n"), "jobs.yaml", problems);

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        Assert.Equal(
            [("fetch", TimeSpan.FromMinutes(10)), ("bot", null), ("checker", null), ("nightly", null), ("quick", TimeSpan.FromSeconds(30))],
            file.Entries.Select(e => (e.Request.Name!, e.Wait)));
    }

    [Fact]
    public void Read_ToolforgeKeysWrongly_SaysWhatIsWrongWithEach()
    {
        const string Text = """
            - name: a
              command: ./a
              filelog: true
              no-filelog: true
            - name: b
              command: ./b
              continuous: true
              wait: true
            - name: c
              command: ./c
              continuous: true
              port: 53/udp
            - name: d
              command: ./d
              wait: soon
            """;
        var problems = new Problems();

        JobsFileReader.Read(new StringReader(Text), "jobs.yaml", problems);

        Assert.Equal(
            [
                "jobs.yaml:4: job 'a': no-filelog",
                "jobs.yaml:8: job 'b': wait",
                "jobs.yaml:12: job 'c': port",
                "jobs.yaml:15: job 'd': wait",
            ],
            problems.Select(p => p.Field));
        Assert.Contains("contradicts filelog: true (line 3)", problems.Single(p => p.Field.EndsWith("'a': no-filelog", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("only TCP", problems.Single(p => p.Field.EndsWith("port", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }
}
