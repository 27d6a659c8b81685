namespace Toolgrid.Core.Jobs;

/// <summary>The waits of the controller's backoffs: twice as long at each failure in a row, up to a cap.</summary>
public static class Doubling
{
    /// <summary><paramref name="first"/> after the first failure in a row, twice that after the second, and so on up to <paramref name="cap"/>.</summary>
    public static TimeSpan Delay(TimeSpan first, TimeSpan cap, int failures) =>
        TimeSpan.FromTicks(Math.Min(cap.Ticks, first.Ticks << Math.Clamp(failures - 1, 0, 20)));
}
