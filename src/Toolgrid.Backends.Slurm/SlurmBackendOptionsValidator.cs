using Microsoft.Extensions.Options;
using Toolgrid.Backends.Slurm.Engine;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// Checks <see cref="SlurmBackendOptions"/> at start, reporting every failure at once: the values,
/// then slurm.conf and the clients on disk, then slurmctld itself (it must answer, and have the
/// default partition).
/// </summary>
internal sealed class SlurmBackendOptionsValidator(TimeProvider timeProvider) : IValidateOptions<SlurmBackendOptions>
{
    private const string Section = SlurmBackendOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SlurmBackendOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, path) in new[] { ("ConfigFile", options.ConfigFile), ("BinDirectory", options.BinDirectory), ("StateDirectory", options.StateDirectory) })
        {
            if (path is not null && !Path.IsPathFullyQualified(path))
            {
                failures.Add($"{Section}:{key} must be an absolute path (it is \"{path}\").");
            }
        }

        foreach (var (key, span) in new[] { ("PollInterval", options.PollInterval), ("MissingWait", options.MissingWait), ("CommandTimeout", options.CommandTimeout) })
        {
            if (span <= TimeSpan.Zero)
            {
                failures.Add($"{Section}:{key} must be positive (it is {span}).");
            }
        }

        if (options.DefaultPartition is { } partition && (string.IsNullOrWhiteSpace(partition) || partition.Any(c => char.IsWhiteSpace(c) || c == ',')))
        {
            failures.Add($"{Section}:DefaultPartition must name one partition (it is \"{partition}\"), or be left out for the cluster's default partition.");
        }

        var onDisk = Path.IsPathFullyQualified(options.ConfigFile) && Path.IsPathFullyQualified(options.BinDirectory) && CheckFiles(options, failures);

        // slurmctld is asked only once everything else is right: without slurm.conf a client
        // retries for a minute, and a wrong value would only add noise.
        if (onDisk && failures.Count == 0)
        {
            AskController(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>slurm.conf and the client programs on this host; false when either is missing.</summary>
    private static bool CheckFiles(SlurmBackendOptions options, List<string> failures)
    {
        if (!File.Exists(options.ConfigFile))
        {
            failures.Add($"{Section}:ConfigFile: there is no {options.ConfigFile}: set it to the cluster's slurm.conf (SLURM_CONF) on this host.");
            return false;
        }

        var scontrol = Path.Combine(options.BinDirectory, "scontrol");
        if (!File.Exists(scontrol))
        {
            failures.Add($"{Section}:BinDirectory: there is no {scontrol}: install Slurm's client (Debian: slurm-client) or set {Section}:BinDirectory to where sbatch and scontrol are.");
            return false;
        }

        return true;
    }

    /// <summary>slurmctld must answer, and have the default partition.</summary>
    private void AskController(SlurmBackendOptions options, List<string> failures)
    {
        IReadOnlyList<SlurmPartition> partitions;
        try
        {
            // Validation is synchronous; this runs once, at start.
            partitions = new SlurmClient(options.ToCluster(), timeProvider, options.CommandTimeout).ListPartitionsAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SlurmCommandException or SlurmOutputException)
        {
            failures.Add($"{Section}: slurmctld of {options.ConfigFile} did not answer ({e.Message}): is slurmctld running, and do SlurmctldHost and SlurmctldPort in {options.ConfigFile} name it?");
            return;
        }

        var names = partitions.Count == 0 ? "none" : string.Join(", ", partitions.Select(p => p.Name));
        if (options.DefaultPartition is null && !partitions.Any(p => p.IsDefault))
        {
            failures.Add($"{Section}:DefaultPartition: the cluster has no default partition (Default=YES in slurm.conf; it has {names}): name the partition of Toolgrid's default queue.");
        }
        else if (options.DefaultPartition is { } partition && !partitions.Any(p => p.Name == partition))
        {
            failures.Add($"{Section}:DefaultPartition: the cluster has no partition '{partition}' (it has {names}): name one of them, or add it to slurm.conf.");
        }
    }
}
