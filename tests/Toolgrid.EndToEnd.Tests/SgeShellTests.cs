namespace Toolgrid.EndToEnd.Tests;

/// <summary>The shell suite on Grid Engine: qrsh on toolgridd's host, the run on a node of the real SGE cluster.</summary>
[Collection(SgeShared.Name)]
public sealed class SgeShellTests(SgePlatform sge) : ShellTests(sge.Platform, "sgshell", sge.Nodes);
