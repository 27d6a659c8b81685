namespace Toolgrid.Proxy.Tests.Support;

/// <summary>
/// The classes that put the proxy under load or drive a browser: one test at a time, after the
/// others, so that none of them competes with another for the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UnderLoad
{
    public const string Name = "proxy under load";
}
