namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs …</c>: the tool's jobs and their runs.</summary>
internal sealed class JobsCommand : CommandGroup
{
    public JobsCommand(CommandHost host)
        : base("jobs", "Run jobs and see how they do (for the tool given by --tool, or the tool you are).")
    {
        Add(new JobRunCommand(host));
        Add(new JobListCommand(host));
        Add(new JobShowCommand(host));
        Add(new JobLogsCommand(host));
        Add(new JobRestartCommand(host));
        Add(new JobDeleteCommand(host));
        Add(new JobFlushCommand(host));
        Add(new JobLoadCommand(host));
        Add(new JobDumpCommand(host));
        Add(new JobShellCommand(host));
    }
}
