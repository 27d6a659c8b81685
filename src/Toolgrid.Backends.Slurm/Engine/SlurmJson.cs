using System.Text.Json;

namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>
/// Reads the JSON the Slurm 22.05 clients print (<c>--json</c>, OpenAPI v0.0.38): a document with
/// <c>meta</c>, <c>errors</c> and one list. A value Toolgrid needs that is missing or of another
/// type is a <see cref="SlurmOutputException"/> naming the command, the element and the field.
/// </summary>
internal static class SlurmJson
{
    /// <summary>The elements of <paramref name="list"/>; an <c>errors</c> entry is an error saying what Slurm said.</summary>
    public static IReadOnlyList<JsonElement> List(string json, string command, string list)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SlurmOutputException($"'{command}' printed something that is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SlurmOutputException($"'{command}' printed JSON that is not an object.");
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                throw new SlurmOutputException($"'{command}' reported errors: {errors.GetRawText()}");
            }

            if (!root.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new SlurmOutputException($"'{command}' printed no '{list}' list.");
            }

            // Cloned: the elements outlive the document.
            return items.EnumerateArray().Select(item => item.Clone()).ToList();
        }
    }

    public static string String(JsonElement item, string field, string what) =>
        Property(item, field, what) is { ValueKind: JsonValueKind.String } value
            ? value.GetString()!
            : throw Wrong(item, field, what, "a string");

    public static long Long(JsonElement item, string field, string what) =>
        Property(item, field, what) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number)
            ? number
            : throw Wrong(item, field, what, "a whole number");

    /// <summary>A number that Slurm prints as <c>null</c> when it is not set.</summary>
    public static long? OptionalLong(JsonElement item, string field, string what) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Null ? null : Long(item, field, what);

    /// <summary>An epoch time; 0 (Slurm's "not yet") is null.</summary>
    public static DateTimeOffset? Time(JsonElement item, string field, string what) =>
        OptionalLong(item, field, what) is { } seconds and not 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static IReadOnlyList<string> Strings(JsonElement item, string field, string what) =>
        Property(item, field, what) is { ValueKind: JsonValueKind.Array } value && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(e => e.GetString()!).ToList()
            : throw Wrong(item, field, what, "a list of strings");

    private static JsonElement Property(JsonElement item, string field, string what) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(field, out var value)
            ? value
            : throw new SlurmOutputException($"{what} has no '{field}'.");

    private static SlurmOutputException Wrong(JsonElement item, string field, string what, string expected) =>
        new($"{what} has '{item.GetProperty(field).GetRawText()}' as '{field}', not {expected}.");
}
