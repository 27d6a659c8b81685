namespace Toolgrid.Core.Jobs;

/// <summary>When a job's maintainers get mail about its runs (Toolforge's <c>--emails</c>).</summary>
public enum EmailPolicy
{
    None,
    OnFailure,
    OnFinish,
    All,
}
