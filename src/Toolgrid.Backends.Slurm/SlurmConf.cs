namespace Toolgrid.Backends.Slurm;

/// <summary>What the backend reads of a cluster's <c>slurm.conf</c> itself (everything else it leaves to Slurm's clients).</summary>
public static class SlurmConf
{
    /// <summary>
    /// The file slurmctld appends each ended job to: <c>JobCompLoc</c> when <c>JobCompType</c> is
    /// <c>jobcomp/filetxt</c> and the location is an absolute path; null otherwise (no jobcomp, or
    /// another plugin). Keys are case-insensitive, <c>#</c> starts a comment, a line may hold several
    /// <c>Key=Value</c> pairs, and the last of a key counts, as for slurmctld. Files named by
    /// <c>Include</c> are not read.
    /// </summary>
    /// <param name="text">The text of <c>slurm.conf</c>.</param>
    public static string? JobCompFile(string text)
    {
        string? type = null;
        string? location = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', 2)[0];
            foreach (var pair in line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2)
                {
                    continue;
                }

                if (parts[0].Equals("JobCompType", StringComparison.OrdinalIgnoreCase))
                {
                    type = parts[1];
                }
                else if (parts[0].Equals("JobCompLoc", StringComparison.OrdinalIgnoreCase))
                {
                    location = parts[1];
                }
            }
        }

        return string.Equals(type, "jobcomp/filetxt", StringComparison.OrdinalIgnoreCase) && location is not null && Path.IsPathFullyQualified(location)
            ? location
            : null;
    }

    /// <summary><see cref="JobCompFile(string)"/> of the file at <paramref name="configFile"/>; null when this host cannot read it.</summary>
    public static string? JobCompFileOf(string configFile)
    {
        try
        {
            return JobCompFile(File.ReadAllText(configFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
