using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Server.Api;

/// <summary>
/// Reads a JSON request body so that every problem is reported at once: unknown fields (refused,
/// never ignored), values of the wrong type, a body that is not an object. What is valid is
/// kept, so the rules can check it and add their own problems to the same list.
/// </summary>
public static class StrictJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static async Task<T> ReadAsync<T>(HttpRequest request, Problems problems, CancellationToken cancellationToken)
        where T : new()
    {
        // Read whole (Kestrel caps its size), so that a syntax error can be placed in the text.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            problems.Add("body", "the body is not valid JSON: " + Where(bytes, e));
            return new T();
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("body", "the body must be a JSON object.");
                return new T();
            }

            var info = (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
            var properties = info.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var kept = new JsonObject();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (!properties.TryGetValue(member.Name, out var property))
                {
                    var known = string.Join(", ", info.Properties.Select(p => p.Name));
                    problems.Add(member.Name, $"unknown field '{member.Name}'; the fields are: {known}.");
                    continue;
                }

                if (!seen.Add(property.Name))
                {
                    problems.Add(property.Name, $"'{property.Name}' is given more than once; give it once.");
                    kept.Remove(property.Name);
                    continue;
                }

                try
                {
                    _ = member.Value.Deserialize(property.PropertyType, Options);
                    kept[property.Name] = JsonNode.Parse(member.Value.GetRawText());
                }
                catch (JsonException)
                {
                    problems.Add(property.Name, $"expected {Describe(property.PropertyType)}, got {member.Value.ValueKind.ToString().ToLowerInvariant()}.");
                }
            }

            return kept.Deserialize(info) ?? new T();
        }
    }

    /// <summary>
    /// Where a JSON syntax error is, in plain words: line and column (both from 1), and the
    /// character found there. System.Text.Json's own text (token names, "Path: $", byte
    /// positions) is meant for programmers of .NET, not for callers of the API.
    /// </summary>
    internal static string Where(byte[] body, JsonException error)
    {
        var utf8 = System.Text.Encoding.UTF8;
        if (utf8.GetString(body).Trim().Length == 0)
        {
            return "it is empty; send a JSON object.";
        }

        if (IsCutShort(body))
        {
            var lines = utf8.GetString(body).TrimEnd().Split('\n');
            var end = FormattableString.Invariant($"line {lines.Length}, column {lines[^1].TrimEnd('\r').Length + 1}");
            return $"it ends too early, at {end}; check that every {{ [ and \" is closed.";
        }

        // The error's position is a line (from 0) and a byte offset in it; people count characters.
        var line = (int)(error.LineNumber ?? 0);
        var lineStart = 0;
        for (var i = 0; i < line && lineStart < body.Length; i++)
        {
            var next = Array.IndexOf(body, (byte)'\n', lineStart);
            lineStart = next < 0 ? body.Length : next + 1;
        }

        var lineEnd = Array.IndexOf(body, (byte)'\n', lineStart);
        lineEnd = lineEnd < 0 ? body.Length : lineEnd;
        var offset = Math.Min(lineStart + (int)(error.BytePositionInLine ?? 0), lineEnd);
        var column = utf8.GetString(body, lineStart, offset - lineStart).Length + 1;
        var here = utf8.GetString(body, offset, lineEnd - offset).TrimEnd('\r');
        var place = FormattableString.Invariant($"line {line + 1}, column {column}");
        var found = here.Length > 0 && !char.IsControl(here[0]) && !char.IsWhiteSpace(here[0]) ? $" (character {here[0]})" : "";
        return $"at {place}{found}; check the quotes, commas and brackets there.";
    }

    /// <summary>Whether the body is valid JSON as far as it goes, and only stops before its end.</summary>
    private static bool IsCutShort(byte[] body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) ? "a string"
            : t == typeof(bool) ? "true or false"
            : t == typeof(int) || t == typeof(long) ? "a whole number"
            : "a value of type " + t.Name;
    }
}
