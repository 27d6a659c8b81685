using System.Globalization;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Controller;

/// <summary>
/// Turns a placed run, its job and its tool into what a backend needs to start it: on the node
/// placement chose, or, for an engine that places runs itself, with no node and the run's queue.
/// </summary>
public sealed class LaunchFactory(IOptions<ControllerOptions> options)
{
    public RunLaunch Create(Run run, Job job, Tool tool)
    {
        var environment = new Dictionary<string, string>(job.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in options.Value.RunEnvironment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TOOLGRID_TOOL"] = tool.Name,
            ["TOOLGRID_JOB"] = job.Name,
            ["TOOLGRID_RUN"] = run.Id.ToString(CultureInfo.InvariantCulture),

            // What grid-era scripts read (Grid Engine sets these for every job).
            ["JOB_NAME"] = job.Name,
            ["JOB_ID"] = run.Id.ToString(CultureInfo.InvariantCulture),
        })
        {
            environment[name] = value;
        }

        if (run.Port is { } port)
        {
            environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);

            // An engine chooses the node after this: the run listens on every address of it, as the
            // proxy and the health checks reach it from another host (the local backend's shepherd
            // sets its node's own listen address).
            if (run.Node is null)
            {
                environment["HOST"] = "0.0.0.0";
            }
        }

        return new RunLaunch(
            RunId: run.Id,
            Tool: tool.Name,
            Job: job.Name,
            Node: run.Node,
            Queue: run.LaunchQueue ?? run.Queue,
            Command: run.Command,
            UnixUser: tool.UnixUser,
            Uid: tool.Uid,
            Gid: tool.Gid,
            Home: tool.Home,
            Environment: environment,
            MemoryBytes: run.MemoryBytes,
            CpuMillis: run.CpuMillis,
            MaxProcesses: options.Value.MaxProcesses,
            StdoutPath: InHome(tool, job.EffectiveStdoutPath),
            StderrPath: InHome(tool, job.EffectiveStderrPath),
            Timeout: run.TimeoutSeconds is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
            GracePeriod: TimeSpan.FromSeconds(job.GracePeriodSeconds),
            Port: run.Port,
            HealthCheck: HealthCheck.For(job.HealthCheckScript, job.HealthCheckHttpPath),
            WorkingDirectory: InHome(tool, job.WorkingDirectory),
            Umask: job.Umask ?? JobDefaults.Umask,
            Interactive: job.Interactive,
            Terminal: job.Interactive && job.Terminal ? new TerminalSize(24, 80) : null,
            NotBefore: run.NotBefore);
    }

    private static string? InHome(Tool tool, string? relative) =>
        relative is null ? null : Path.Combine(tool.Home, relative);
}
