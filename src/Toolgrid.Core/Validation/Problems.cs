using System.Collections;

namespace Toolgrid.Core.Validation;

/// <summary>
/// Collects every problem with an input, so that a caller learns all of them at once rather
/// than one per attempt.
/// </summary>
public sealed class Problems : IReadOnlyList<Problem>
{
    private readonly List<Problem> _items = [];

    public int Count => _items.Count;

    public bool IsEmpty => _items.Count == 0;

    public Problem this[int index] => _items[index];

    public void Add(string field, string message) => _items.Add(new Problem(field, message));

    public void AddRange(IEnumerable<Problem> problems) => _items.AddRange(problems);

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
