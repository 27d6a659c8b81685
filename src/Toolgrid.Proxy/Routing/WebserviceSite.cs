using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Webservices;

namespace Toolgrid.Proxy.Routing;

/// <summary>A tool's live web service as the proxy last read it.</summary>
/// <param name="Job">The continuous job <c>webservice</c>.</param>
/// <param name="ActiveRuns">Its runs that have not ended.</param>
/// <param name="Replicas">Those that get traffic, with their addresses.</param>
/// <param name="Summary">What it is doing, in words.</param>
public sealed record WebserviceSite(Job Job, IReadOnlyList<Run> ActiveRuns, IReadOnlyList<Replica> Replicas, WebserviceSummary Summary);
