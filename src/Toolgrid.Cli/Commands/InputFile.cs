namespace Toolgrid.Cli.Commands;

/// <summary>A file named on the command line ('-' for standard input), read whole.</summary>
internal static class InputFile
{
    /// <summary>The largest file read: a tool's jobs.yaml or crontab is kilobytes, not megabytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The name to show in messages, and the text.</summary>
    public static async Task<(string Name, string Text)> ReadAsync(CliInvocation cli, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(path);
        if (path == "-")
        {
            return ("<stdin>", await cli.Environment.In.ReadToEndAsync(cancellationToken));
        }

        var full = Path.GetFullPath(path, cli.Environment.CurrentDirectory);
        try
        {
            if (new FileInfo(full).Length > MaxBytes)
            {
                throw new CommandFailedException(ExitCodes.Usage, $"{path} is larger than {MaxBytes / 1024} KiB; is it the right file?");
            }

            return (path, await File.ReadAllTextAsync(full, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"cannot read {path}: {e.Message}");
        }
    }
}
