namespace Toolgrid.Cli.Tests.Support;

/// <summary>A request the <see cref="ApiTestServer"/> received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Body, string? Authorization, string? ContentType, string? IdempotencyKey = null)
{
    public string PathAndQuery => Path + Query;

    public override string ToString() => $"{Method} {PathAndQuery} {Body}";
}
