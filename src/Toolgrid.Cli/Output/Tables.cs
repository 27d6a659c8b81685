using Spectre.Console;
using Spectre.Console.Rendering;

namespace Toolgrid.Cli.Output;

/// <summary>The shapes of the CLI's output: tables of rows, and lists of properties. Every cell is plain text, never markup.</summary>
internal static class Tables
{
    /// <summary>A borderless table, like ps and kubectl print: readable, and easy to cut or awk.</summary>
    /// <remarks>Columns keep each value on one line; only the <see cref="Header.Wraps"/> ones fold on a narrow terminal.</remarks>
    public static Table New(params Header[] headers)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            var column = new TableColumn(new Text(header.Text, new Style(decoration: Decoration.Bold))).PadLeft(0).PadRight(3);
            column.NoWrap = !header.Wraps;
            table.AddColumn(column);
        }

        return table;
    }

    public static void AddRow(Table table, params IRenderable[] cells) => table.AddRow(cells);

    public static void AddRow(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(cell => (IRenderable)new Text(cell ?? "")).ToArray());

    /// <summary>A two-column list: name, value.</summary>
    public static Grid Properties()
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn(new GridColumn());
        return grid;
    }

    public static void AddProperty(Grid grid, string name, string? value) =>
        grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value ?? ""));

    public static void AddProperty(Grid grid, string name, IRenderable value) =>
        grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), value);

    /// <summary>A heading line above a table.</summary>
    public static Text Heading(string text) => new(text, new Style(decoration: Decoration.Bold));
}
