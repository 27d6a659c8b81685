namespace Toolgrid.Core.Supervision;

/// <summary>What <see cref="DrainMoves.Decide"/> wants done, and what still keeps each drained node from being empty.</summary>
/// <param name="Steps">The steps: drains to apply or undo in the backend, runs to queue elsewhere, runs to stop.</param>
/// <param name="Waits">The runs still on drained nodes, and why each is still there.</param>
public sealed record DrainPlan(IReadOnlyList<SupervisorAction> Steps, IReadOnlyList<DrainWait> Waits);
