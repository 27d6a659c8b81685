using System.CommandLine;

namespace Toolgrid.Cli.Commands.Nodes;

/// <summary>The NODE argument of <c>nodes drain</c> and <c>nodes resume</c>.</summary>
internal static class NodeArgument
{
    public static Argument<string> Create() => new("NODE") { Description = "The node's name, as 'toolgrid nodes list' shows it." };
}
