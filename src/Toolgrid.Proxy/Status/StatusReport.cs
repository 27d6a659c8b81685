namespace Toolgrid.Proxy.Status;

/// <summary>The status page as JSON (<c>/?format=json</c>, or <c>Accept: application/json</c>).</summary>
/// <param name="GeneratedAt">When it was made.</param>
/// <param name="Stale">True when the store could not be read and this is what was last known.</param>
/// <param name="Tools">Every active tool, by name.</param>
/// <param name="Nodes">The nodes that run the tools' jobs, by name.</param>
/// <param name="Queues">The queues they serve, <c>default</c> first.</param>
public sealed record StatusReport(DateTimeOffset GeneratedAt, bool Stale, IReadOnlyList<ToolStatus> Tools, IReadOnlyList<NodeStatusView> Nodes, IReadOnlyList<QueueStatusView> Queues);

/// <summary>A node on the status page.</summary>
/// <param name="Name">The node.</param>
/// <param name="State"><c>up</c>, <c>draining</c>, <c>drained</c> or <c>down</c>.</param>
/// <param name="Queues">The queues it serves.</param>
/// <param name="Slots">How many runs it may hold.</param>
/// <param name="Runs">Runs on it now.</param>
public sealed record NodeStatusView(string Name, string State, IReadOnlyList<string> Queues, int Slots, int Runs);

/// <summary>A queue on the status page.</summary>
/// <param name="Name">The queue.</param>
/// <param name="Nodes">The nodes that serve it.</param>
/// <param name="Slots">The slots of those that take work now.</param>
/// <param name="State"><c>up</c>, or <c>no usable node</c> (its runs go to <c>default</c>).</param>
public sealed record QueueStatusView(string Name, IReadOnlyList<string> Nodes, int Slots, string State);

/// <summary>One tool on the status page.</summary>
/// <param name="Name">The tool.</param>
/// <param name="Description">Its description.</param>
/// <param name="Maintainers">Its maintainers.</param>
/// <param name="Url">Where its site is.</param>
/// <param name="Webservice">Its web service.</param>
/// <param name="Jobs">Its other jobs.</param>
/// <param name="Up">Its web service (when it has one) answers and none of its jobs is failing (see <see cref="JobsSummary"/>).</param>
public sealed record ToolStatus(string Name, string Description, IReadOnlyList<string> Maintainers, string Url, WebserviceStatusView Webservice, JobsStatusView Jobs, bool Up);

/// <summary>A tool's web service on the status page.</summary>
/// <param name="Type">generic, node, python, static (the proxy serves public_html), or none.</param>
/// <param name="State">running, starting, crash-looping, stopped; or running for static.</param>
/// <param name="Status">In words.</param>
/// <param name="Replicas">Wanted.</param>
/// <param name="Ready">Getting traffic.</param>
/// <param name="Up">Whether it answers.</param>
/// <param name="Warning">What is wrong though it runs (a replica reachable around the proxy), or null.</param>
public sealed record WebserviceStatusView(string Type, string State, string Status, int Replicas, int Ready, bool Up, string? Warning);

/// <summary>A tool's jobs on the status page.</summary>
/// <param name="Total">Live jobs (the web service aside).</param>
/// <param name="Running">With a run running.</param>
/// <param name="Failing">Failing: continuous jobs that are not running or not healthy, scheduled jobs whose last run failed.</param>
/// <param name="Up">None failing.</param>
/// <param name="Problems">What is wrong with each failing job, in words.</param>
public sealed record JobsStatusView(int Total, int Running, int Failing, bool Up, IReadOnlyList<string> Problems);
