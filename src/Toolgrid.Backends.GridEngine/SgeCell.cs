using System.Globalization;

namespace Toolgrid.Backends.GridEngine;

/// <summary>Where a Grid Engine cell is and how its clients reach its qmaster.</summary>
/// <param name="Root"><c>SGE_ROOT</c>, e.g. <c>/var/lib/gridengine</c>.</param>
/// <param name="Cell"><c>SGE_CELL</c>, e.g. <c>default</c>.</param>
/// <param name="QmasterPort"><c>SGE_QMASTER_PORT</c>.</param>
/// <param name="ExecdPort"><c>SGE_EXECD_PORT</c>.</param>
/// <param name="BinDirectory">Where the client programs are (<c>qsub</c>, <c>qstat</c>…). The
/// <c>/usr/bin</c> links are wrappers that only set the variables above and cost 0.1-1 s a call,
/// so the programs are called directly: on Debian <c>/usr/lib/gridengine</c>.</param>
/// <param name="QmasterTimeZone">The time zone of the qmaster's host, in which qstat prints its times.</param>
/// <param name="Accounting">The accounting file when it is not where the cell keeps it by default.</param>
public sealed record SgeCell(string Root, string Cell, int QmasterPort, int ExecdPort, string BinDirectory, TimeZoneInfo QmasterTimeZone, string? Accounting = null)
{
    /// <summary>The cell's accounting file, one line per ended job.</summary>
    public string AccountingFile => Accounting ?? Path.Combine(CommonDirectory, "accounting");

    /// <summary>The cell's directory of files every client reads (its settings, the act_qmaster file).</summary>
    public string CommonDirectory => Path.Combine(Root, Cell, "common");

    /// <summary>The variables every client needs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables =>
    [
        new("SGE_ROOT", Root),
        new("SGE_CELL", Cell),
        new("SGE_QMASTER_PORT", QmasterPort.ToString(CultureInfo.InvariantCulture)),
        new("SGE_EXECD_PORT", ExecdPort.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The path of a client program.</summary>
    public string Program(string name) => Path.Combine(BinDirectory, name);
}
