using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands;

/// <summary>
/// Runs the commands' actions: gives each its <see cref="CliInvocation"/>, and turns what went
/// wrong into lines on standard error and the documented exit codes.
/// </summary>
internal sealed class CommandHost
{
    private readonly CliEnvironment _environment;

    public CommandHost(CliEnvironment environment, GlobalOptions globals)
    {
        _environment = environment;
        Globals = globals;
    }

    public GlobalOptions Globals { get; }

    public async Task<int> RunAsync(ParseResult parse, Func<CliInvocation, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        using var cli = new CliInvocation(_environment, Globals, parse);
        var error = _environment.Error;
        try
        {
            return await action(cli, cancellationToken);
        }
        catch (ValidationException e)
        {
            ErrorOutput.Write(error, ErrorOutput.Lines(e.Problems));
            return ExitCodes.Usage;
        }
        catch (CommandFailedException e)
        {
            ErrorOutput.Write(error, [ErrorOutput.Prefix + e.Message]);
            return e.ExitCode;
        }
        catch (ToolgridApiException e)
        {
            ErrorOutput.Write(error, ErrorOutput.Lines(e, cli.Client.Address));
            return ExitCodes.For(e.StatusCode);
        }
        catch (ApiUnreachableException e)
        {
            ErrorOutput.Write(error, [ErrorOutput.Prefix + e.Message]);
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ErrorOutput.Write(error, ["toolgrid: interrupted."]);
            return ExitCodes.Interrupted;
        }
    }
}
