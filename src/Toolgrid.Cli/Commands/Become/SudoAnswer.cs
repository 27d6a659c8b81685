namespace Toolgrid.Cli.Commands.Become;

/// <summary>sudo's answer to "may I run commands as that user?".</summary>
/// <param name="Allowed">Whether it may, without a password.</param>
/// <param name="Said">What sudo wrote on stderr when not, for the message.</param>
internal sealed record SudoAnswer(bool Allowed, string Said);
