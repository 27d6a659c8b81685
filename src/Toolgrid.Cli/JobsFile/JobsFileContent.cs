namespace Toolgrid.Cli.JobsFile;

/// <summary>What a <c>jobs.yaml</c> declares: its jobs, in order, and the warnings about what it asks for and cannot have.</summary>
internal sealed record JobsFileContent(string FileName, IReadOnlyList<JobsFileEntry> Entries, IReadOnlyList<string> Warnings)
{
    /// <summary>How a problem or warning names the entry: <c>jobs.yaml:12: job 'fetch'</c>, or <c>jobs.yaml:12: entry 3</c> while it has no name.</summary>
    public static string Label(string fileName, int line, int index, string? name) =>
        FormattableString.Invariant($"{fileName}:{line}: ") + (string.IsNullOrEmpty(name) ? FormattableString.Invariant($"entry {index + 1}") : $"job '{name}'");

    /// <summary>The line a problem's field names (<c>jobs.yaml:14: job 'fetch': mem</c> → 14); 0 when it names none.</summary>
    public static int LineOf(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        var digits = colon < 0 ? "" : new string(field.Skip(colon + 1).TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) ? line : 0;
    }

    /// <summary>The problem field for <paramref name="field"/> (API spelling) of entry <paramref name="index"/>: <c>jobs.yaml:14: job 'fetch': mem</c>.</summary>
    public string FieldOf(int index, string field)
    {
        if (index < 0 || index >= Entries.Count)
        {
            return FormattableString.Invariant($"{FileName}: jobs[{index}].{field}");
        }

        var entry = Entries[index];
        var line = entry.KeyLines.TryGetValue(field, out var keyLine) ? keyLine : entry.Line;
        return Label(FileName, line, index, entry.Request.Name) + ": " + JobsFileKeys.KeyOf(field);
    }
}
