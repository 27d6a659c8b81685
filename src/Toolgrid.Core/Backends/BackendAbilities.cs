namespace Toolgrid.Core.Backends;

/// <summary>
/// What the site's backend can run, for the one rule that refuses at submit time a job it cannot
/// (<see cref="Jobs.JobRules.Build"/>), before anything is stored.
/// </summary>
/// <param name="Backend">The backend's name: <c>local</c>, <c>gridengine</c>, <c>slurm</c>.</param>
/// <param name="Serves">
/// Whether it runs jobs that serve on a port or have a health check (web services): it gives each
/// run a <c>$PORT</c> on its node, checks its health and reports where it listens.
/// </param>
/// <param name="Interactive">Whether it runs interactive jobs (<c>toolgrid jobs shell</c>): it can attach to a run's terminal.</param>
/// <remarks>
/// The grid backends run one-off, scheduled and continuous jobs without a port or a health check:
/// a web service needs a port on the node the engine chose and a route to it, which they have not
/// yet. Slurm runs interactive jobs too (srun on the login host holds the terminal); Grid Engine
/// does not yet: its backend does not drive qrsh (which works on the test cells, deploy/grid/README.md).
/// </remarks>
public sealed record BackendAbilities(string Backend, bool Serves, bool Interactive)
{
    /// <summary>The local backend: it runs every kind of job.</summary>
    public static BackendAbilities Local { get; } = new("local", Serves: true, Interactive: true);

    /// <summary>A grid backend (<paramref name="backend"/>): one-off, scheduled and continuous jobs without a port or a health check, and interactive jobs if <paramref name="interactive"/>.</summary>
    public static BackendAbilities Grid(string backend, bool interactive = false) => new(backend, Serves: false, Interactive: interactive);

    /// <summary>Why the backend cannot run a job of this kind, and what works instead; null when it can.</summary>
    /// <param name="serves">It has a port (<c>$PORT</c>) or a health check: a web service.</param>
    /// <param name="interactive">It is an interactive job.</param>
    public string? Refusal(bool serves, bool interactive) =>
        interactive && !Interactive
            ? $"the {Backend} backend cannot run interactive jobs ('toolgrid jobs shell' needs the local or slurm backend): run the command as a one-off job instead, 'toolgrid jobs run NAME --command CMD --wait', and read its output with 'toolgrid jobs logs NAME'."
            : serves && !Serves
                ? $"the {Backend} backend cannot run web services or jobs with a port or a health check (they need $PORT on the node the engine chooses, and a route to it): run it as a continuous job without `port` and health checks ('toolgrid jobs run NAME --command CMD --continuous'), or serve static files from ~/public_html ('toolgrid webservice start --type static')."
                : null;
}
