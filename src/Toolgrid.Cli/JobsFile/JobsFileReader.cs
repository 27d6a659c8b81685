using System.Globalization;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using YamlDotNet.RepresentationModel;

namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// Reads a <c>jobs.yaml</c> (Toolforge's format: a list of jobs) into <see cref="JobRunRequest"/>s,
/// checking the whole file first and reporting every problem of every entry at once.
/// </summary>
/// <remarks>
/// <para>
/// Each problem names the file, the line and the entry (<c>jobs.yaml:14: job 'fetch': mem: …</c>).
/// A key that is not known is an error naming it, with the key it probably meant.
/// </para>
/// <para>
/// What Toolgrid cannot honour is said, never silently dropped: <c>image</c> is accepted with a
/// warning (jobs run on the host's own system, so there is no image to choose); <c>mount: all</c> is
/// what Toolgrid always does, <c>mount: none</c> is accepted with a warning (a run always sees the
/// tool's home), and anything else is an error.
/// </para>
/// <para>
/// Toolforge's other keys are read as its <c>jobs load</c> reads them: <c>no-filelog</c> (also
/// quoted, as its <c>jobs dump</c> writes it), <c>wait</c> (kept on the entry, for the load to
/// wait on), <c>port: 8080/tcp</c>, and <c>timeout</c> in seconds.
/// </para>
/// </remarks>
internal static class JobsFileReader
{
    public const string ImageWarning = "image: ignored — jobs run on the host's own OS, not in a container image";

    public const string MountNoneWarning = "mount: none ignored — a job always sees the tool's home and the shared file systems (Toolgrid has no containers to leave them out of)";

    /// <summary>How long <c>wait: true</c> waits, as Toolforge's <c>jobs run --wait</c> does.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(10);

    /// <summary>Reads <paramref name="text"/>; every problem goes to <paramref name="problems"/>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="fileName">How problems name the file (e.g. <c>jobs.yaml</c>).</param>
    /// <param name="problems">Where every problem goes.</param>
    public static JobsFileContent Read(TextReader text, string fileName, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problems);
        var root = YamlTreeReader.Read(text, out var syntax);
        if (syntax is not null)
        {
            problems.Add(FormattableString.Invariant($"{fileName}:{syntax.Line}:{syntax.Column}"), "YAML syntax error: " + syntax.Message);
            return new JobsFileContent(fileName, [], []);
        }

        if (root is not YamlSequenceNode list)
        {
            problems.Add(
                fileName,
                root is null
                    ? "the file holds no jobs. Write a list of jobs ('- name: …'); to delete every job of the tool, use 'toolgrid jobs flush', or load a file holding '[]'."
                    : FormattableString.Invariant($"line {root.Line}: the file must be a list of jobs, each starting with '- name: …'; it holds {root.What}."));
            return new JobsFileContent(fileName, [], []);
        }

        var entries = new List<JobsFileEntry>();
        var warnings = new List<(string Warning, string Label)>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < list.Children.Count; index++)
        {
            var entry = ReadEntry(list.Children[index], index, fileName, problems, warnings);
            if (entry is null)
            {
                continue;
            }

            if (entry.Request.Name is { Length: > 0 } name)
            {
                if (names.TryGetValue(name, out var firstLine))
                {
                    problems.Add(
                        JobsFileContent.Label(fileName, entry.KeyLines.GetValueOrDefault("name", entry.Line), index, name) + ": name",
                        FormattableString.Invariant($"'{name}' is also the name of the job on line {firstLine}; a tool's jobs have names of their own."));
                }
                else
                {
                    names[name] = entry.Line;
                }
            }

            entries.Add(entry);
        }

        // One line per kind of warning, naming every job it is about: a Toolforge file names an image in each entry.
        var grouped = warnings
            .GroupBy(w => w.Warning, StringComparer.Ordinal)
            .Select(g => $"{fileName}: {string.Join(", ", g.Select(w => w.Label))}: {g.Key}")
            .ToList();
        return new JobsFileContent(fileName, entries, grouped);
    }

    private static JobsFileEntry? ReadEntry(YamlNode node, int index, string fileName, Problems problems, List<(string, string)> warnings)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(
                JobsFileContent.Label(fileName, node.Line, index, null),
                $"a job is a mapping of keys (name: …, command: …), not {node.What}.");
            return null;
        }

        var name = mapping.Entries.FirstOrDefault(e => e.Key.Text == "name").Value is YamlScalarNode { IsNull: false } nameValue ? nameValue.Text : null;
        var label = JobsFileContent.Label(fileName, mapping.Line, index, name);
        var keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var request = new JobRunRequest();
        var extra = new EntryExtras();
        foreach (var (keyNode, value) in mapping.Entries)
        {
            // A key given twice never gets here: the YAML reader refuses it.
            var key = keyNode.Text;
            var at = JobsFileContent.Label(fileName, keyNode.Line, index, name) + ": " + key;
            seen[key] = keyNode.Line;
            var known = JobsFileKeys.Find(key);
            if (known is null)
            {
                var suggestion = JobsFileKeys.Suggest(key);
                problems.Add(at, "unknown key" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?") + " The keys are: " + string.Join(", ", JobsFileKeys.All.Select(k => k.Key)) + ".");
                continue;
            }

            if (known.Field is { } field)
            {
                keyLines[field] = keyNode.Line;
            }

            request = Apply(request, known, value, at, problems, label, warnings, extra);
        }

        request = ApplyToolforgeKeys(request, extra, seen, fileName, index, name, problems);

        if (!seen.ContainsKey("command"))
        {
            // Said here, in the file's words. Every other rule of a job is the API's: 'jobs load' asks
            // it (a dry run first), and names each problem it answers by this file's line and key.
            problems.Add(JobsFileContent.Label(fileName, mapping.Line, index, name) + ": " + JobsFileKeys.KeyOf("command"), "a command is required, e.g. command: ./fetch.sh --all");
        }

        return new JobsFileEntry(index, mapping.Line, request, keyLines, extra.Wait);
    }

    /// <summary>Toolforge's <c>no-filelog</c> and <c>wait</c>, read once the whole entry is known.</summary>
    private static JobRunRequest ApplyToolforgeKeys(JobRunRequest request, EntryExtras extra, Dictionary<string, int> seen, string fileName, int index, string? name, Problems problems)
    {
        string At(string key) => JobsFileContent.Label(fileName, seen[key], index, name) + ": " + key;
        if (extra.NoFilelog == true)
        {
            if (request.Filelog == true)
            {
                problems.Add(At("no-filelog"), $"contradicts filelog: true (line {seen["filelog"]}); keep one of them.");
            }
            else
            {
                request = request with { Filelog = false };
            }
        }

        if (extra.Wait is not null && (request.Continuous == true || request.Schedule is not null))
        {
            problems.Add(At("wait"), $"only a one-off job is waited for, and this one is {(request.Continuous == true ? "continuous" : "scheduled")}: drop wait (Toolforge refuses it too).");
            extra.Wait = null;
        }

        return request;
    }

    private static JobRunRequest Apply(JobRunRequest request, JobsFileKey key, YamlNode value, string at, Problems problems, string label, List<(string, string)> warnings, EntryExtras extra)
    {
        if (value is YamlScalarNode { IsNull: true } && key.Type != JobsFileValueType.Variables)
        {
            problems.Add(at, "has no value; give one, or leave the key out.");
            return request;
        }

        switch (key.Key)
        {
            case "image":
                warnings.Add((ImageWarning, label));
                return request;
            case "no-filelog":
                // Toolforge's own dump writes it quoted ('true'), and its load takes that.
                extra.NoFilelog = Boolean(value, at, problems, quotedToo: true);
                return request;
            case "wait":
                extra.Wait = Wait(value, at, problems);
                return request;
            case "mount":
                switch (Text(value, at, problems))
                {
                    case "all" or null:
                        break;
                    case "none":
                        warnings.Add((MountNoneWarning, label));
                        break;
                    case var other:
                        problems.Add(at, $"'{InputText.Shorten(other)}' is not a mount: Toolforge's are all and none (and a Toolgrid job always sees the tool's home, as with all).");
                        break;
                }

                return request;
        }

        object? read = key.Type switch
        {
            JobsFileValueType.Port => Port(value, at, problems),
            JobsFileValueType.Boolean => Boolean(value, at, problems, quotedToo: key.Field == JobFieldNames.Filelog),
            JobsFileValueType.Number => Number(value, at, problems),
            JobsFileValueType.Variables => Variables(value, at, problems),
            _ => Text(value, at, problems),
        };
        return key.Set(request, read);
    }

    private static string? Text(YamlNode value, string at, Problems problems)
    {
        if (value is YamlScalarNode scalar)
        {
            return scalar.Text;
        }

        problems.Add(at, $"takes a single value, not {value.What}" + (value is YamlSequenceNode ? "; write a command as one line of text, e.g. command: ./bot.py --all" : "."));
        return null;
    }

    private static bool? Boolean(YamlNode value, string at, Problems problems, bool quotedToo = false)
    {
        if (value is YamlScalarNode scalar && (scalar.Plain || quotedToo))
        {
            switch (scalar.Text.ToLowerInvariant())
            {
                case "true" or "yes" or "on":
                    return true;
                case "false" or "no" or "off":
                    return false;
            }
        }

        problems.Add(at, value is YamlScalarNode quoted
            ? $"'{InputText.Shorten(quoted.Text)}' is not true or false" + (quoted.Plain ? "." : " (write it without quotes).")
            : $"takes true or false, not {value.What}.");
        return null;
    }

    private static int? Number(YamlNode value, string at, Problems problems)
    {
        if (value is YamlScalarNode { Plain: true } scalar
            && int.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        problems.Add(at, value is YamlScalarNode other
            ? $"'{InputText.Shorten(other.Text)}' is not a whole number" + (other.Plain ? "." : " (write it without quotes).")
            : $"takes a whole number, not {value.What}.");
        return null;
    }

    /// <summary>A port: <c>8080</c>, or Toolforge's <c>8080/tcp</c> (the proxy forwards TCP only).</summary>
    private static int? Port(YamlNode value, string at, Problems problems)
    {
        if (value is YamlScalarNode scalar)
        {
            var text = scalar.Text.Trim();
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var protocol = slash < 0 ? "tcp" : text[(slash + 1)..].ToLowerInvariant();
            var number = slash < 0 ? text : text[..slash];
            if (protocol != "tcp")
            {
                problems.Add(at, $"'{InputText.Shorten(text)}': only TCP ports are served here; write port: {number} (or {number}/tcp).");
                return null;
            }

            if ((scalar.Plain || slash >= 0) && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }
        }

        problems.Add(at, value is YamlScalarNode other
            ? $"'{InputText.Shorten(other.Text)}' is not a port: write a whole number, such as 8080 (or 8080/tcp)."
            : $"takes a port number, not {value.What}.");
        return null;
    }

    /// <summary>Toolforge's <c>wait</c>: true waits up to <see cref="DefaultWait"/>, a number is seconds, false does not wait.</summary>
    private static TimeSpan? Wait(YamlNode value, string at, Problems problems)
    {
        if (value is YamlScalarNode { Plain: true } scalar)
        {
            switch (scalar.Text.ToLowerInvariant())
            {
                case "true" or "yes" or "on":
                    return DefaultWait;
                case "false" or "no" or "off":
                    return null;
            }

            if (int.TryParse(scalar.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        problems.Add(at, $"takes true (wait up to {DefaultWait.TotalSeconds:0} s for the job to finish), false, or a number of seconds; got {(value is YamlScalarNode text ? $"'{InputText.Shorten(text.Text)}'" : value.What)}.");
        return null;
    }

    private static Dictionary<string, string>? Variables(YamlNode value, string at, Problems problems)
    {
        if (value is YamlScalarNode { IsNull: true })
        {
            return null;
        }

        if (value is not YamlMappingNode mapping)
        {
            problems.Add(at, $"takes a mapping of names to values (env:\\n    NAME: value), not {value.What}.");
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Text;
            if (entry.Value is not YamlScalarNode { IsNull: false } scalar)
            {
                problems.Add(at, entry.Value is YamlScalarNode
                    ? $"{name} has no value; write {name}: '' for an empty one."
                    : $"the value of {name} must be text, not {entry.Value.What}.");
                continue;
            }

            // A name given twice never gets here: the YAML reader refuses it.
            variables[name] = scalar.Text;
        }

        return variables;
    }

    /// <summary>What an entry says besides its request.</summary>
    private sealed class EntryExtras
    {
        public bool? NoFilelog { get; set; }

        public TimeSpan? Wait { get; set; }
    }
}
