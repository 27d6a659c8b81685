namespace Toolgrid.Bench.Report;

/// <summary>Puts the generated results into docs/benchmarks.md, between markers, leaving the hand-written text around them alone.</summary>
internal static class DocsWriter
{
    public const string Begin = "<!-- toolgrid-bench:results:begin (written by bench/run.sh; edit the text outside the markers) -->";
    public const string End = "<!-- toolgrid-bench:results:end -->";

    public static void Update(string path, string markdown)
    {
        var block = Begin + "\n" + markdown.TrimEnd() + "\n" + End;
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "# Benchmarks\n\n" + block + "\n");
            return;
        }

        var text = File.ReadAllText(path);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? text[..start] + block + text[(end + End.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }
}
