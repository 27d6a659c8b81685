namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary><see cref="GridEngineBackendOptionsValidator"/>: every wrong setting named at once, and the cell looked for only once the values are right.</summary>
public sealed class GridEngineBackendOptionsValidatorTests
{
    private static readonly GridEngineBackendOptionsValidator Validator = new(TimeProvider.System);

    [Fact]
    public void Every_wrong_value_is_named_at_once()
    {
        var result = Validator.Validate(null, new GridEngineBackendOptions
        {
            Root = "gridengine",
            Cell = "a/b",
            QmasterPort = 0,
            ExecdPort = 70000,
            DefaultQueue = " ",
            PollInterval = TimeSpan.Zero,
            QmasterTimeZone = "Mars/Olympus",
        });

        Assert.Equal(
            [
                "Toolgrid:GridEngine:Root must be an absolute path (it is \"gridengine\").",
                "Toolgrid:GridEngine:Cell must be the name of a cell, a directory under Toolgrid:GridEngine:Root (it is \"a/b\").",
                "Toolgrid:GridEngine:QmasterPort must be a port, 1-65535 (it is 0).",
                "Toolgrid:GridEngine:ExecdPort must be a port, 1-65535 (it is 70000).",
                "Toolgrid:GridEngine:PollInterval must be positive (it is 00:00:00).",
                "Toolgrid:GridEngine:DefaultQueue must name the cluster queue of Toolgrid's default queue.",
                "Toolgrid:GridEngine:QmasterTimeZone: \"Mars/Olympus\" is not a time zone of this host (e.g. Etc/UTC, Europe/Berlin).",
            ],
            result.Failures);
    }

    [Fact]
    public void A_cell_that_is_not_on_this_host_is_named_with_what_to_set()
    {
        var root = Path.Combine(Path.GetTempPath(), "tg-sge-" + Guid.NewGuid().ToString("N"));

        var result = Validator.Validate(null, new GridEngineBackendOptions { Root = root, Cell = "mycell" });

        Assert.Equal(
            [$"Toolgrid:GridEngine: the cell 'mycell' has no directory {root}/mycell/common: set Toolgrid:GridEngine:Root and Toolgrid:GridEngine:Cell to SGE_ROOT and SGE_CELL of the cluster (its common/ directory must be shared with this host)."],
            result.Failures);
    }
}
