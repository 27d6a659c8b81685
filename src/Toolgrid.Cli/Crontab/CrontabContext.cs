namespace Toolgrid.Cli.Crontab;

/// <summary>What converting a crontab needs to know of the tool and its files, each look at the file system a function so that the conversion stays pure.</summary>
internal sealed record CrontabContext
{
    /// <summary>The tool's home (absolute): cron ran each line there, and $HOME and ~ stand for it.</summary>
    public required string Home { get; init; }

    public Func<string, bool> FileExists { get; init; } = _ => false;

    public Func<string, bool> IsDirectory { get; init; } = _ => false;
}
