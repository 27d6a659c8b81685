namespace Toolgrid.Cli.Commands.Crontab;

/// <summary><c>toolgrid crontab …</c>: moving a grid-era crontab to Toolgrid.</summary>
internal sealed class CrontabCommand : CommandGroup
{
    public CrontabCommand(CommandHost host)
        : base("crontab", "Move a grid-era crontab to scheduled jobs.")
    {
        Add(new CrontabImportCommand(host));
    }
}
