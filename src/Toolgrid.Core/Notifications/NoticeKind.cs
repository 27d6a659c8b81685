namespace Toolgrid.Core.Notifications;

/// <summary>What a notice is about.</summary>
public enum NoticeKind
{
    /// <summary>A run succeeded (mailed under <c>onfinish</c> and <c>all</c>).</summary>
    RunSucceeded,

    /// <summary>A run failed, was killed or was lost (mailed under <c>onfailure</c>, <c>onfinish</c> and <c>all</c>).</summary>
    RunFailed,

    /// <summary>A run started (mailed under <c>all</c>).</summary>
    RunStarted,

    /// <summary>A scheduled run was skipped (mailed under <c>onfailure</c> and above).</summary>
    RunSkipped,

    /// <summary>A continuous job keeps failing (mailed under <c>onfailure</c> and above).</summary>
    CrashLoop,
}
