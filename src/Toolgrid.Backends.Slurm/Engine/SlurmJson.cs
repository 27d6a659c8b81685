using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>
/// Reads the JSON the Slurm 22.05 clients print (<c>--json</c>, OpenAPI v0.0.38): a document with
/// <c>meta</c>, <c>errors</c> and one list. A value Toolgrid needs that is missing or of another
/// type is a <see cref="SlurmOutputException"/> naming the command, the element and the field.
/// </summary>
internal static class SlurmJson
{
    /// <summary>
    /// Reads <paramref name="json"/> as it comes and gives each element of <paramref name="list"/> to
    /// <paramref name="read"/>; an <c>errors</c> entry is an error saying what Slurm said.
    /// </summary>
    /// <remarks>
    /// Only what <paramref name="read"/> returns outlives the document, whose buffers are pooled:
    /// squeue lists every job ended within <c>MinJobAge</c>, several KB each, every poll.
    /// </remarks>
    public static async Task<IReadOnlyList<T>> ListAsync<T>(Stream json, string command, string list, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(json, default, cancellationToken);
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

            return items.EnumerateArray().Select(read).ToList();
        }
    }

    public static string String(JsonElement item, string field, string what) =>
        Property(item, field, what) is { ValueKind: JsonValueKind.String } value
            ? Text(value)
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
            ? value.EnumerateArray().Select(Text).ToList()
            : throw Wrong(item, field, what, "a list of strings");

    /// <summary>
    /// A string's text. Slurm prints a name as the bytes it was given: one that is not UTF-8
    /// (<c>sbatch -J</c> in Latin-1) is read with U+FFFD for the bytes that are not, as a text
    /// decoder does, rather than making the whole list unreadable.
    /// </summary>
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            using var decoded = JsonDocument.Parse(Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value)));
            return decoded.RootElement.GetString()!;
        }
    }

    private static JsonElement Property(JsonElement item, string field, string what) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(field, out var value)
            ? value
            : throw new SlurmOutputException($"{what} has no '{field}'.");

    private static SlurmOutputException Wrong(JsonElement item, string field, string what, string expected) =>
        new($"{what} has '{item.GetProperty(field).GetRawText()}' as '{field}', not {expected}.");
}
