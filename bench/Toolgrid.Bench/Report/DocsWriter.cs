namespace Toolgrid.Bench.Report;

/// <summary>Puts the generated results into docs/benchmarks.md, between markers, leaving the hand-written text around them alone.</summary>
internal static class DocsWriter
{
    public const string Begin = "<!-- toolgrid-bench:results:begin (written by bench/run.sh; edit the text outside the markers) -->";
    public const string End = "<!-- toolgrid-bench:results:end -->";

    public static void Update(string path, string markdown) => Update(path, markdown, Begin, End);

    /// <summary>The same, between other markers (each suite has its own section).</summary>
    public static void Update(string path, string markdown, string begin, string end)
    {
        var block = begin + "\n" + markdown.TrimEnd() + "\n" + end;
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "# Benchmarks\n\n" + block + "\n");
            return;
        }

        var text = File.ReadAllText(path);
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        text = start >= 0 && stop > start
            ? text[..start] + block + text[(stop + end.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }
}
