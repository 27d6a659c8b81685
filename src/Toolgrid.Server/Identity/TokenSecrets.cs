using System.Security.Cryptography;
using System.Text;

namespace Toolgrid.Server.Identity;

/// <summary>Makes token secrets and the hashes the store keeps of them.</summary>
public static class TokenSecrets
{
    public const string Prefix = "tg_";

    /// <summary>A new secret: 256 random bits, URL-safe.</summary>
    public static string NewSecret() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the secret, hex. A secret has enough entropy that no salt or slow hash is needed.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool LooksLikeSecret(string? text) => text is { Length: > 10 } && text.StartsWith(Prefix, StringComparison.Ordinal);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
