using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts;

public sealed partial class ToolAccounts
{
    /// <summary>
    /// Brings the existing homes of <paramref name="tools"/> (and their <c>public_html/</c>) to
    /// <see cref="HomeMode"/>: homes made under an earlier default (02775, readable by all) are
    /// closed, and an operator's change of the setting reaches every home. A missing home is left
    /// missing; owners are left as they are.
    /// </summary>
    /// <returns>One problem in words per home that could not be changed.</returns>
    public IReadOnlyList<string> RepairHomes(IEnumerable<string> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var problems = new List<string>();
        var repaired = 0;
        foreach (var tool in tools)
        {
            try
            {
                repaired += ToolHome.Repair(_options.DataRoot, tool, HomeMode) ? 1 : 0;
            }
            catch (ToolgridException e)
            {
                problems.Add(e.Message);
                Log.HomeNotRepaired(_logger, tool, e.Message);
            }
        }

        Log.HomesRepaired(_logger, repaired, HomeMode);
        return problems;
    }
}
