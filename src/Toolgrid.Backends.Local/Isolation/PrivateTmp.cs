using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Isolation;

/// <summary>
/// The host directories that hold a run's private <c>/tmp</c> and <c>/var/tmp</c>
/// (<c>/tmp/toolgrid-run-&lt;id&gt;-XXXXXX</c>, root's, 0700, made by the shepherd's isolation.c).
/// The shepherd removes them when the run ends; the backend removes those of a run whose
/// shepherd died, once the run's processes are killed.
/// </summary>
internal static partial class PrivateTmp
{
    /// <summary>The name every such directory starts with, in <c>/tmp</c> or <c>/var/tmp</c>.</summary>
    public const string Prefix = "toolgrid-run-";

    private static readonly string[] Parents = ["/tmp", "/var/tmp"];

    /// <summary>Whether <paramref name="path"/> is one of those directories (and nothing else a record could name).</summary>
    public static bool IsOne(string path) =>
        Path.IsPathFullyQualified(path)
        && Parents.Contains(Path.GetDirectoryName(path), StringComparer.Ordinal)
        && Path.GetFileName(path).StartsWith(Prefix, StringComparison.Ordinal)
        && !path.Contains("/..", StringComparison.Ordinal);

    /// <summary>
    /// Removes the directories (with what the run left in them; links are removed, never
    /// followed). Call only when no process of the run is left.
    /// </summary>
    /// <returns>The problems, one per directory that could not be removed.</returns>
    public static IReadOnlyList<string> Remove(IEnumerable<string> directories)
    {
        var problems = new List<string>();
        foreach (var directory in directories.Where(IsOne))
        {
            try
            {
                var info = new DirectoryInfo(directory);
                if (info.Exists && info.LinkTarget is null)
                {
                    info.Delete(recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"cannot remove a run's private /tmp {directory}: {e.Message}");
            }
        }

        return problems;
    }

    /// <summary>Removes a run's directories as <see cref="Remove(IEnumerable{string})"/> does, and logs each one left.</summary>
    public static void Remove(long runId, IEnumerable<string> directories, ILogger logger)
    {
        foreach (var problem in Remove(directories))
        {
            Log.PrivateTmpLeft(logger, runId, problem);
        }
    }
}
