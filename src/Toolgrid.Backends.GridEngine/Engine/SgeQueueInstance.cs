using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>A queue instance (<c>QUEUE@HOST</c>) as <c>qstat -f -xml</c> lists it.</summary>
/// <param name="Queue">The cluster queue.</param>
/// <param name="Host">The host.</param>
/// <param name="SlotsUsed">Slots its jobs hold.</param>
/// <param name="SlotsTotal">Its slots.</param>
/// <param name="State">Its state letters: empty when it takes work; <c>u</c> its host's execd is not heard from, <c>d</c> disabled, <c>E</c> error, <c>a</c>/<c>A</c> alarm, <c>s</c>/<c>S</c>/<c>C</c>/<c>D</c> suspended or off by calendar, <c>o</c> orphaned, <c>c</c> configuration ambiguous.</param>
/// <param name="LoadAverage">The host's load as this queue sees it; null when unknown.</param>
/// <param name="Messages">Why it is in error, as <c>qstat -explain E</c> says (<c>queue default marked QERROR as result of job 7's failure at host node2</c>); none otherwise.</param>
public sealed partial record SgeQueueInstance(string Queue, string Host, int SlotsUsed, int SlotsTotal, string State, double? LoadAverage, IReadOnlyList<string>? Messages = null)
{
    /// <summary>Its host's execd stopped answering: the host is down or cut off.</summary>
    public bool Unknown => State.Contains('u', StringComparison.Ordinal);

    /// <summary>An admin disabled it (<c>qmod -d</c>): it keeps its jobs and takes no new ones.</summary>
    public bool Disabled => State.Contains('d', StringComparison.Ordinal);

    /// <summary>Whether it takes new work: no state letter at all.</summary>
    public bool TakesWork => State.Length == 0;

    /// <summary>The qmaster put it in error (<c>E</c>): it takes no work until an admin clears it (<c>qmod -cq</c>).</summary>
    public bool InError => State.Contains('E', StringComparison.Ordinal);

    /// <summary>The name it has on SGE's command lines: <c>QUEUE@HOST</c>.</summary>
    public string Name => NameOf(Queue, Host);

    /// <summary>The name of the instance of <paramref name="queue"/> on <paramref name="host"/>: <c>QUEUE@HOST</c>.</summary>
    public static string NameOf(string queue, string host) => queue + "@" + host;

    /// <summary>The jobs whose failure put it in error, as its messages name them.</summary>
    public IEnumerable<long> FailedJobs => InError
        ? (Messages ?? []).SelectMany(m => FailedJob().Matches(m)).Select(m => long.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture))
        : [];

    [GeneratedRegex(@"as result of job (\d+)'s failure")]
    private static partial Regex FailedJob();
}
