using Toolgrid.Core.Health;
using Toolgrid.Native.Files;

namespace Toolgrid.Controller;

/// <summary>
/// The files in which the loop of a grid run's job script leaves its health check results
/// (<see cref="Core.Health.HealthLoop"/>), in the tool's home, which the login host shares
/// with the nodes: read and removed as hostile input (<see cref="OwnedFile"/>).
/// </summary>
internal static class ScriptResultFiles
{
    /// <summary>The latest result of run <paramref name="runId"/>, or null when there is none to trust: missing, not a regular file of <paramref name="uid"/>, or not one line of a result.</summary>
    public static ScriptResult? Read(string home, long runId, int uid) =>
        OwnedFile.Read(home, ScriptResult.NameOf(runId), uid, ScriptResult.MaxLength) is { } content
            ? ScriptResult.Parse(content)
            : null;

    /// <summary>Removes the run's file and the loop's temporary one, best effort: only regular files of <paramref name="uid"/>.</summary>
    public static void Remove(string home, long runId, int uid)
    {
        var name = ScriptResult.NameOf(runId);
        _ = OwnedFile.Remove(home, name, uid);
        _ = OwnedFile.Remove(home, name + ".new", uid);
    }
}
