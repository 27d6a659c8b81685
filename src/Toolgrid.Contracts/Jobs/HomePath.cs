namespace Toolgrid.Contracts.Jobs;

/// <summary>Paths a user gives for files in a tool's home: they may never lead out of it.</summary>
public static class HomePath
{
    /// <summary>
    /// Normalizes <paramref name="path"/> (relative to the home, or absolute inside it) to a
    /// path relative to the home. Fails when it would leave the home, names the home itself, or
    /// holds characters a file name cannot.
    /// </summary>
    /// <param name="home">The tool's home, absolute.</param>
    /// <param name="path">The path as typed.</param>
    /// <param name="relative">The normalized path, relative to <paramref name="home"/>.</param>
    /// <param name="error">Why the path was refused.</param>
    public static bool TryNormalize(string home, string path, out string relative, out string error)
    {
        relative = "";
        error = "";
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "the path is empty.";
            return false;
        }

        if (path.Contains('\0', StringComparison.Ordinal) || path.Any(char.IsControl))
        {
            error = "the path holds control characters.";
            return false;
        }

        if (path.Length > 1024)
        {
            error = "the path is longer than 1024 characters.";
            return false;
        }

        var root = home.TrimEnd('/');
        var parts = new List<string>();
        var start = path.StartsWith('/') ? path : root + "/" + path;
        foreach (var part in start.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    error = $"'{path}' leads outside the tool's home ({root}).";
                    return false;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        var full = "/" + string.Join('/', parts);
        if (full == root)
        {
            error = $"'{path}' is the tool's home itself, not a file in it.";
            return false;
        }

        if (!full.StartsWith(root + "/", StringComparison.Ordinal))
        {
            error = $"'{path}' leads outside the tool's home ({root}); give a path inside it, such as logs/job.out.";
            return false;
        }

        relative = full[(root.Length + 1)..];
        return true;
    }
}
