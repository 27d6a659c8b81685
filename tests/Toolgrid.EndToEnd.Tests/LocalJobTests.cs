namespace Toolgrid.EndToEnd.Tests;

/// <summary>The jobs suite on the local backend: runs on this host.</summary>
[Collection(SharedPlatform.Name)]
public sealed class LocalJobTests(Platform platform) : JobTests(platform, "job", [System.Net.Dns.GetHostName()]);
