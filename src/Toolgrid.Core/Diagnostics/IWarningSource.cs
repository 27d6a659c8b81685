namespace Toolgrid.Core.Diagnostics;

/// <summary>A part of the platform that can say what is degraded about it (e.g. "cgroups are not writable"), for <c>toolgrid status</c>.</summary>
public interface IWarningSource
{
    IReadOnlyList<string> Warnings { get; }
}
