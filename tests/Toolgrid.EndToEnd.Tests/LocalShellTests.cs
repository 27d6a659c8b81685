namespace Toolgrid.EndToEnd.Tests;

/// <summary>The shell suite on the local backend: a shepherd on this host.</summary>
[Collection(SharedPlatform.Name)]
public sealed class LocalShellTests(Platform platform) : ShellTests(platform, "shell", [System.Net.Dns.GetHostName()]);
