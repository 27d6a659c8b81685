using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Toolgrid.Core.Validation;

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
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            problems.Add("body", $"the body is not valid JSON: {e.Message}");
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

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) ? "a string"
            : t == typeof(bool) ? "true or false"
            : t == typeof(int) || t == typeof(long) ? "a whole number"
            : "a value of type " + t.Name;
    }
}
