namespace Toolgrid.EndToEnd.Tests;

/// <summary>How the docs' blocks are split into the commands <see cref="DocsTests"/> runs.</summary>
public sealed class DocCommandsTests
{
    [Fact]
    public void A_line_is_a_command_and_its_comment_is_dropped_even_with_quotes_in_it()
    {
        var block = Block("sh", "toolgrid jobs dump [-o jobs.yaml]   # write the tool's jobs", "", "# only a comment", "qdel 19   # \"tools.mytool has registered the job 19\"");

        var commands = DocCommands.Commands(block);

        Assert.Equal(["toolgrid jobs dump [-o jobs.yaml]", "qdel 19"], commands.Select(c => c.Command));
        Assert.Equal([10, 13], commands.Select(c => c.Line));
        Assert.Equal("qdel 19   # \"tools.mytool has registered the job 19\"", commands[1].Text);
    }

    [Fact]
    public void A_quote_or_a_backslash_carries_a_command_onto_the_next_line()
    {
        var block = Block("sh", "toolgrid become mytool -- sh -c 'cd src", "git pull'", "echo a \\", "  b # c", "echo \"it's\" x#y");

        var commands = DocCommands.Commands(block);

        Assert.Equal(["toolgrid become mytool -- sh -c 'cd src\ngit pull'", "echo a \\\n  b", "echo \"it's\" x#y"], commands.Select(c => c.Command));
        Assert.Equal([10, 12, 14], commands.Select(c => c.Line));
    }

    [Fact]
    public void A_block_that_ends_inside_a_quote_is_an_error_naming_where()
    {
        var error = Assert.Throws<FormatException>(() => DocCommands.Commands(Block("sh", "true", "echo 'never closed")));

        Assert.Contains("doc.md:11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_are_found_with_their_language_and_first_line()
    {
        var blocks = DocCommands.Blocks("doc.md", "text\n```sh\na\nb\n```\n\n```\ndiagram\n```\n");

        Assert.Equal([("sh", 3, 2), ("", 8, 1)], blocks.Select(b => (b.Language, b.Line, b.Lines.Count)));
    }

    private static DocBlock Block(string language, params string[] lines) => new("doc.md", 10, language, lines);
}
