using Microsoft.EntityFrameworkCore;

namespace Toolgrid.Store.Changes;

/// <summary>One row written to the store by this process.</summary>
/// <param name="Entity">The row as it was saved (a tool, job, run, node…).</param>
/// <param name="State">Added, Modified or Deleted.</param>
/// <param name="Modified">For a modified row, the properties whose values changed.</param>
public sealed record StoreChange(object Entity, EntityState State, IReadOnlySet<string> Modified)
{
    /// <summary>Whether the row is new or gone, or <paramref name="property"/> changed.</summary>
    public bool Touches(string property) => State != EntityState.Modified || Modified.Contains(property);
}
