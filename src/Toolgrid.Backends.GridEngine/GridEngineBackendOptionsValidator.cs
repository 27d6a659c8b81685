using Microsoft.Extensions.Options;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Checks <see cref="GridEngineBackendOptions"/> at start, reporting every failure at once: the
/// values, then the cell on disk, then the qmaster itself (it must answer, and know the default
/// queue).
/// </summary>
internal sealed class GridEngineBackendOptionsValidator(TimeProvider timeProvider) : IValidateOptions<GridEngineBackendOptions>
{
    private const string Section = GridEngineBackendOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GridEngineBackendOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, path) in new[] { ("Root", options.Root), ("BinDirectory", options.BinDirectory), ("AccountingFile", options.AccountingFile), ("StateDirectory", options.StateDirectory) })
        {
            if (path is not null && !Path.IsPathFullyQualified(path))
            {
                failures.Add($"{Section}:{key} must be an absolute path (it is \"{path}\").");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Cell) || options.Cell.Contains('/', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:Cell must be the name of a cell, a directory under {Section}:Root (it is \"{options.Cell}\").");
        }

        foreach (var (key, port) in new[] { ("QmasterPort", options.QmasterPort), ("ExecdPort", options.ExecdPort) })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"{Section}:{key} must be a port, 1-65535 (it is {port}).");
            }
        }

        foreach (var (key, span) in new[] { ("PollInterval", options.PollInterval), ("AccountingWait", options.AccountingWait), ("CommandTimeout", options.CommandTimeout), ("NodeLostAfter", options.NodeLostAfter) })
        {
            if (span <= TimeSpan.Zero)
            {
                failures.Add($"{Section}:{key} must be positive (it is {span}).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.DefaultQueue))
        {
            failures.Add($"{Section}:DefaultQueue must name the cluster queue of Toolgrid's default queue.");
        }

        if (options.QmasterTimeZone is { } zoneName && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out _))
        {
            failures.Add($"{Section}:QmasterTimeZone: \"{zoneName}\" is not a time zone of this host (e.g. Etc/UTC, Europe/Berlin).");
        }

        var cellNamed = Path.IsPathFullyQualified(options.Root) && !failures.Any(f => f.StartsWith($"{Section}:Cell ", StringComparison.Ordinal));
        var onDisk = cellNamed && CheckFiles(options, failures);

        // The qmaster is asked only once everything else is right: a wrong port or cell would only add noise.
        if (onDisk && failures.Count == 0)
        {
            AskQmaster(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The cell's directory and the client programs on this host; false when either is missing.</summary>
    private static bool CheckFiles(GridEngineBackendOptions options, List<string> failures)
    {
        var common = Path.Combine(options.Root, options.Cell, "common");
        if (!Directory.Exists(common))
        {
            failures.Add($"{Section}: the cell '{options.Cell}' has no directory {common}: set {Section}:Root and {Section}:Cell to SGE_ROOT and SGE_CELL of the cluster (its common/ directory must be shared with this host).");
            return false;
        }

        var qconf = Path.Combine(options.BinDirectory, "qconf");
        if (!File.Exists(qconf))
        {
            failures.Add($"{Section}:BinDirectory: there is no {qconf}: install Grid Engine's client (Debian: gridengine-client) or set {Section}:BinDirectory to where qsub and qconf are.");
            return false;
        }

        return true;
    }

    /// <summary>The qmaster must answer, and have the default queue.</summary>
    private void AskQmaster(GridEngineBackendOptions options, List<string> failures)
    {
        var cell = options.ToCell();
        IReadOnlyList<string> queues;
        try
        {
            // Validation is synchronous; this runs once, at start.
            queues = new SgeClient(cell, timeProvider, options.CommandTimeout).ListClusterQueuesAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (SgeCommandException e)
        {
            failures.Add($"{Section}: the qmaster of cell '{options.Cell}' did not answer on port {options.QmasterPort} ({e.Message}): is sge_qmaster running, and are {Section}:QmasterPort and the cell's act_qmaster right?");
            return;
        }

        if (!queues.Contains(options.DefaultQueue, StringComparer.Ordinal))
        {
            failures.Add($"{Section}:DefaultQueue: the cell has no cluster queue '{options.DefaultQueue}' (it has {string.Join(", ", queues)}): name one of them, or add it with qconf -aq.");
        }
    }
}
