namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>A queue instance (<c>QUEUE@HOST</c>) as <c>qstat -f -xml</c> lists it.</summary>
/// <param name="Queue">The cluster queue.</param>
/// <param name="Host">The host.</param>
/// <param name="SlotsUsed">Slots its jobs hold.</param>
/// <param name="SlotsTotal">Its slots.</param>
/// <param name="State">Its state letters: empty when it takes work; <c>u</c> its host's execd is not heard from, <c>d</c> disabled, <c>E</c> error, <c>a</c>/<c>A</c> alarm, <c>s</c>/<c>S</c>/<c>C</c>/<c>D</c> suspended or off by calendar, <c>o</c> orphaned, <c>c</c> configuration ambiguous.</param>
/// <param name="LoadAverage">The host's load as this queue sees it; null when unknown.</param>
public sealed record SgeQueueInstance(string Queue, string Host, int SlotsUsed, int SlotsTotal, string State, double? LoadAverage)
{
    /// <summary>Its host's execd stopped answering: the host is down or cut off.</summary>
    public bool Unknown => State.Contains('u', StringComparison.Ordinal);

    /// <summary>An admin disabled it (<c>qmod -d</c>): it keeps its jobs and takes no new ones.</summary>
    public bool Disabled => State.Contains('d', StringComparison.Ordinal);

    /// <summary>Whether it takes new work: no state letter at all.</summary>
    public bool TakesWork => State.Length == 0;
}
