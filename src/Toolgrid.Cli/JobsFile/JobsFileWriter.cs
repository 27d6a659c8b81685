using System.Globalization;
using System.Text.RegularExpressions;
using Toolgrid.Contracts.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Toolgrid.Cli.JobsFile;

/// <summary>Writes jobs as a <c>jobs.yaml</c> (<c>jobs dump</c>) that <see cref="JobsFileReader"/> reads back to the same requests.</summary>
/// <remarks>
/// Only what a request gives is written, keys in <see cref="JobsFileKeys.All"/>'s order. Text that
/// a YAML reader would take for something else (<c>022</c>, <c>true</c>, <c>null</c>, <c>1.5</c>) is
/// quoted, so that other tools read the file as this one does; multi-line text is a literal block.
/// </remarks>
internal static partial class JobsFileWriter
{
    // What YAML 1.1 (PyYAML, Toolforge) or 1.2 would read as other than text when unquoted.
    [GeneratedRegex(
        @"^(~|null|true|false|yes|no|on|off|y|n|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[-+]?\.(inf|nan)|[-+]?\d+(:[0-5]?\d)+(\.\d*)?|\d{4}-\d\d?-\d\d?.*|<<|=)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotText();

    /// <summary>Writes <paramref name="jobs"/> to <paramref name="writer"/>, after <paramref name="comments"/> (each a line of <c># …</c>).</summary>
    public static void Write(IEnumerable<JobRunRequest> jobs, TextWriter writer, IEnumerable<string>? comments = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(writer);
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        foreach (var comment in comments ?? [])
        {
            emitter.Emit(new Comment(comment, isInline: false));
        }

        var list = jobs.ToList();
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
        foreach (var job in list)
        {
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
            foreach (var key in JobsFileKeys.All)
            {
                WriteKey(emitter, key, job);
            }

            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new SequenceEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    /// <summary>The jobs as the text of a file.</summary>
    public static string ToText(IEnumerable<JobRunRequest> jobs, IEnumerable<string>? comments = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(jobs, writer, comments);
        return writer.ToString();
    }

    private static void WriteKey(Emitter emitter, JobsFileKey key, JobRunRequest job)
    {
        switch (key.Get(job))
        {
            case bool flag:
                Plain(emitter, key.Key, flag ? "true" : "false");
                return;
            case int number:
                Plain(emitter, key.Key, number.ToString(CultureInfo.InvariantCulture));
                return;
            case Dictionary<string, string> environment:
                emitter.Emit(new Scalar(key.Key));
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, environment.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (name, value) in environment.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    emitter.Emit(new Scalar(name));
                    Text(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                return;
            case string text:
                emitter.Emit(new Scalar(key.Key));

                // A CPU quantity reads as a number in Toolforge's files too ("cpu: 0.5").
                if (key.Field == JobFieldNames.Cpu && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
                {
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                }
                else
                {
                    Text(emitter, text);
                }

                return;
        }
    }

    private static void Plain(Emitter emitter, string key, string value)
    {
        emitter.Emit(new Scalar(key));
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
    }

    private static void Text(Emitter emitter, string value)
    {
        var style = NotText().IsMatch(value) ? ScalarStyle.DoubleQuoted
            : value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal) && !value.Any(c => char.IsControl(c) && c is not '\n' and not '\t') ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, isPlainImplicit: true, isQuotedImplicit: true));
    }
}
