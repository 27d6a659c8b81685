using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Toolgrid.Store.Configurations;

/// <summary>A job's environment variables, stored as one JSON object.</summary>
internal static class EnvironmentConversion
{
    public static readonly ValueConverter<Dictionary<string, string>, string> Converter = new(
        value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default),
        text => Read(text));

    public static readonly ValueComparer<Dictionary<string, string>> Comparer = new(
        (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
        value => value.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
        value => new Dictionary<string, string>(value, StringComparer.Ordinal));

    private static Dictionary<string, string> Read(string text) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(text, JsonSerializerOptions.Default) ?? [], StringComparer.Ordinal);
}
