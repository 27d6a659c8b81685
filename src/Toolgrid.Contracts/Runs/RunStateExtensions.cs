namespace Toolgrid.Contracts.Runs;

public static class RunStateExtensions
{
    public static bool IsTerminal(this RunState state) =>
        state is RunState.Succeeded or RunState.Failed or RunState.Killed or RunState.Lost or RunState.Skipped;

    /// <summary>The lower-case name used in the API and the CLI.</summary>
    public static string ToWire(this RunState state) => state.ToString().ToLowerInvariant();
}
