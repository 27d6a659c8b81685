namespace Toolgrid.Core.Backends;

/// <summary>
/// What the site's backend can run, for the one rule that refuses at submit time a job it cannot
/// (<see cref="Jobs.JobRules.Build"/>), before anything is stored.
/// </summary>
/// <param name="Backend">The backend's name: <c>local</c>, <c>gridengine</c>, <c>slurm</c>.</param>
/// <param name="Interactive">Whether it runs interactive jobs (<c>toolgrid jobs shell</c>): it can attach to a run's terminal.</param>
/// <param name="ScriptChecks">Whether it runs health check scripts (a command run beside the run, on its node).</param>
/// <remarks>
/// Every backend runs web services and jobs with a port or an HTTP health check. The grid backends too: a run an engine places gets a port no other live run has on any
/// node (the node is chosen after the port), listens on every address of the node the engine
/// chose, and is checked over HTTP (or by a connect to its port) from the login host. They run
/// health check scripts too: a script runs as the tool on the run's node, inside the run's own
/// job (a loop its job script starts, <see cref="Health.HealthLoop"/>), which writes each result into the
/// tool's home, where toolgridd on the login host reads it. Both run interactive jobs: their
/// client on the login host (srun, qrsh) holds the terminal.
/// </remarks>
public sealed record BackendAbilities(string Backend, bool Interactive, bool ScriptChecks)
{
    /// <summary>The local backend: it runs every kind of job.</summary>
    public static BackendAbilities Local { get; } = new("local", Interactive: true, ScriptChecks: true);

    /// <summary>A grid backend (<paramref name="backend"/>): every kind of job, interactive ones only if <paramref name="interactive"/>.</summary>
    public static BackendAbilities Grid(string backend, bool interactive = false) => new(backend, Interactive: interactive, ScriptChecks: true);

    /// <summary>Why the backend cannot run a job of this kind, and what works instead; null when it can.</summary>
    /// <param name="interactive">It is an interactive job.</param>
    /// <param name="scriptCheck">Its health check is a script.</param>
    public string? Refusal(bool interactive, bool scriptCheck) =>
        interactive && !Interactive
            ? $"the {Backend} backend cannot run interactive jobs ('toolgrid jobs shell' needs a backend that attaches to a run's terminal: local, slurm or gridengine): run the command as a one-off job instead, 'toolgrid jobs run NAME --command CMD --wait', and read its output with 'toolgrid jobs logs NAME'."
            : scriptCheck && !ScriptChecks
                ? $"the {Backend} backend cannot run health check scripts (a script runs on the run's node, beside the run): check over HTTP instead with `health-check-http` (e.g. /healthz on $PORT), or leave the check out: a run with a port and no check gets traffic once it runs."
                : null;
}
