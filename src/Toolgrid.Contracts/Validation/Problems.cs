using System.Collections;

namespace Toolgrid.Contracts.Validation;

/// <summary>
/// Collects every problem with an input, so that a caller learns all of them at once rather
/// than one per attempt.
/// </summary>
/// <remarks>
/// One problem per field: the first found is the one that matters. A field of the wrong JSON
/// type is reported as such, and not again as "missing" by the rules that look at it next.
/// </remarks>
public sealed class Problems : IReadOnlyList<Problem>
{
    private readonly List<Problem> _items = [];

    public int Count => _items.Count;

    public bool IsEmpty => _items.Count == 0;

    public Problem this[int index] => _items[index];

    public void Add(string field, string message)
    {
        if (!Has(field))
        {
            _items.Add(new Problem(field, message));
        }
    }

    public void AddRange(IEnumerable<Problem> problems)
    {
        foreach (var problem in problems)
        {
            Add(problem.Field, problem.Message);
        }
    }

    /// <summary>Whether a problem was already found with <paramref name="field"/>.</summary>
    public bool Has(string field) => _items.Exists(p => string.Equals(p.Field, field, StringComparison.OrdinalIgnoreCase));

    /// <summary>Throws <see cref="ValidationException"/> when any problem was found.</summary>
    public void ThrowIfAny()
    {
        if (_items.Count > 0)
        {
            throw new ValidationException(_items.ToArray());
        }
    }

    public IEnumerator<Problem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
