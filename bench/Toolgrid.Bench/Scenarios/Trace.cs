using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// The way from submit to start, cut at the events toolgridd logs with EF Core's command and
/// transaction logging and ASP.NET Core's request logging on.
/// </summary>
/// <param name="Samples">Isolated submits that were traced (and whose events were all found).</param>
/// <param name="Segments">The stretches, in order.</param>
/// <param name="ApiCommands">SQL commands the POST ran (savepoints not counted).</param>
/// <param name="ControllerCommands">SQL commands the controller ran from its wake-up to the launch.</param>
/// <param name="SubmitToStartMs">Client POST → startedAt with that logging on (it costs a little).</param>
internal sealed record Trace(int Samples, IReadOnlyList<Segment> Segments, Distribution ApiCommands, Distribution ControllerCommands, Distribution SubmitToStartMs);
