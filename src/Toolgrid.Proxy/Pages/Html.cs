using System.Net;
using System.Text;

namespace Toolgrid.Proxy.Pages;

/// <summary>Builds the proxy's own pages: plain, semantic HTML that needs no script, styled by a few inline rules, every value encoded.</summary>
public sealed class Html
{
    private const string Style = """
        :root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #555555; --up: #146c2e; --down: #a4161a; --warn: #7a4d00; --line: #c8c8c8; --link: #0b57d0; }
        @media (prefers-color-scheme: dark) { :root { --fg: #ececec; --bg: #161616; --muted: #b0b0b0; --up: #7ddc8f; --down: #ff9a9a; --warn: #f2c46d; --line: #444444; --link: #9ec1ff; } }
        body { font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 72rem; padding: 1rem 1.25rem 3rem; }
        a { color: var(--link); }
        header, footer { color: var(--muted); font-size: .9rem; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; color: var(--muted); padding: .25rem 0 .5rem; }
        th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
        th { font-weight: 600; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.25rem; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        code { font-size: .95em; }
        .up { color: var(--up); font-weight: 600; }
        .down { color: var(--down); font-weight: 600; }
        .starting, .warning { color: var(--warn); font-weight: 600; }
        .none, .muted { color: var(--muted); }
        .note { border-left: 4px solid var(--warn); padding: .25rem .75rem; }
        """;

    private readonly StringBuilder _text = new();

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Starts a page: <paramref name="title"/> in the title and the first heading.</summary>
    public static Html Page(string title, string rootHref)
    {
        var html = new Html();
        html._text.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(Encode(title)).Append(" · Toolgrid</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<header><a href=\"")
            .Append(Encode(rootHref)).Append("\">Toolgrid</a>: the tools hosted here</header>\n<main>\n<h1>").Append(Encode(title)).Append("</h1>\n");
        return html;
    }

    /// <summary>Appends markup as it is: only for fixed text and values already encoded.</summary>
    public Html Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    /// <summary>Appends <paramref name="text"/>, encoded.</summary>
    public Html Text(string? text)
    {
        _text.Append(Encode(text));
        return this;
    }

    /// <summary>A paragraph of text.</summary>
    public Html Paragraph(string text, string? cssClass = null)
    {
        _text.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A link.</summary>
    public Html Link(string href, string text)
    {
        _text.Append("<a href=\"").Append(Encode(href)).Append("\">").Append(Encode(text)).Append("</a>");
        return this;
    }

    /// <summary>A state in words and colour (the words carry the meaning; the colour only helps).</summary>
    public Html State(string cssClass, string words)
    {
        _text.Append("<span class=\"").Append(cssClass).Append("\">").Append(Encode(words)).Append("</span>");
        return this;
    }

    /// <summary>The markup so far: a part of a page, begun with <c>new Html()</c>, to be <see cref="Raw"/> in one.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Ends the page.</summary>
    public string End(string footer)
    {
        _text.Append("</main>\n<footer><p>").Append(Encode(footer)).Append("</p></footer>\n</body>\n</html>\n");
        return _text.ToString();
    }
}
