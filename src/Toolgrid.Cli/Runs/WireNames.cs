using Toolgrid.Core.Api;
using Toolgrid.Core.Runs;

namespace Toolgrid.Cli.Runs;

/// <summary>Reads the wire spelling of run states and reasons back into Core's words (the inverse of <see cref="Wire"/>).</summary>
internal static class WireNames
{
    public static bool TryParseState(string? text, out RunState state)
    {
        foreach (var candidate in Enum.GetValues<RunState>())
        {
            if (string.Equals(Wire.Of(candidate), text, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static bool TryParseReason(string? text, out RunReason reason)
    {
        foreach (var candidate in Enum.GetValues<RunReason>())
        {
            if (string.Equals(Wire.Of(candidate), text, StringComparison.Ordinal))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
