using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Support;

/// <summary>Views as the API answers them, with plausible values.</summary>
internal static class Sample
{
    public static readonly DateTimeOffset Now = CliHarness.Start;

    public static RunView Run(
        string state = "queued",
        string reason = "submitted",
        string? message = null,
        int? exitCode = null,
        int? signal = null,
        long id = 7,
        int attempt = 1,
        string? node = null) =>
        new(
            id,
            attempt,
            state,
            reason,
            message,
            exitCode,
            signal,
            node,
            Pid: node is null ? null : 4242,
            SubmittedAt: Now.AddMinutes(-5),
            StartedAt: state is "queued" or "starting" ? null : Now.AddMinutes(-4),
            FinishedAt: state is "succeeded" or "failed" or "killed" or "lost" ? Now.AddMinutes(-2) : null,
            Mem: "512Mi",
            Cpu: "0.5");

    public static JobView Job(string name = "fetch", bool finished = false, string status = "queued", params RunView[] runs) =>
        new(
            Tool: "mytool",
            Name: name,
            Kind: "one-off",
            Command: "./fetch.sh --all",
            Mem: "512Mi",
            Cpu: "0.5",
            Retry: 0,
            Queue: "default",
            Emails: "none",
            FilelogStdout: name + ".out",
            FilelogStderr: name + ".err",
            GracePeriod: 15,
            CreatedAt: Now.AddMinutes(-5),
            CreatedBy: "alice",
            Deleting: false,
            Finished: finished,
            Status: status,
            Runs: runs.Length == 0 ? [Run()] : runs);

    public static JobView Finished(string state, string reason, string? message, int? exitCode = null, int? signal = null, string name = "fetch") =>
        Job(name, finished: true, status: state, Run(state, reason, message, exitCode, signal, node: "node1"));

    public static WhoAmIView WhoAmI(string? tool = null, params string[] maintains) =>
        new("alice", tool, Admin: false, Via: "peer-credentials", maintains, Mode: "multi-user", ApiUrls: ["http://login.example:8471"]);

    public static ToolView Tool(string name = "mytool") =>
        new(
            name,
            "Fetches things",
            "tools." + name,
            51001,
            "/data/project/" + name,
            [new MaintainerView("alice", Now.AddDays(-3), "alice")],
            Now.AddDays(-3),
            "alice",
            Disabled: false,
            DisabledAt: null,
            new LimitsView("512Mi", "0.5", "4Gi", "1", 16),
            Jobs: 2);

    public static StatusView Status(string mode = "multi-user") =>
        new(
            "0.1.0",
            mode,
            mode == "single-user" ? "toolgridd runs as alice; every tool runs as alice." : "each tool runs as its own Unix user.",
            ["api", "controller", "proxy", "node"],
            "local",
            "/srv/toolgrid",
            "sqlite",
            [new NodeView("node1", "up", ["default"], "16Gi", "4", 8, 2, Now.AddSeconds(-3))],
            Tools: 3,
            Jobs: 5,
            new Dictionary<string, int> { ["running"] = 2, ["queued"] = 1 },
            Warnings: mode == "single-user" ? ["tools are not isolated from each other"] : []);

    public static TokenView Token(string? secret = null) =>
        new(3, "laptop", "alice", Now, Now.AddDays(30), null, secret, "jobs", "socket uid 1000 as alice", null);
}
