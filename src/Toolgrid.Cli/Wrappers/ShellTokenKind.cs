namespace Toolgrid.Cli.Wrappers;

/// <summary>What a <see cref="ShellToken"/> is.</summary>
internal enum ShellTokenKind
{
    /// <summary>A word: a program, an argument.</summary>
    Word,

    /// <summary>A control operator between commands: <c>;</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>|</c>, <c>&amp;</c>, <c>(</c>, <c>)</c>.</summary>
    Operator,

    /// <summary>A redirection operator (<c>&gt;</c>, <c>2&gt;&gt;</c>, <c>2&gt;&amp;</c>, <c>&lt;</c>…); the next word is its target.</summary>
    Redirection,
}
