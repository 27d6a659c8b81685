using Toolgrid.Cli.Wrappers;

namespace Toolgrid.Cli.Crontab;

/// <summary>Names the API's job fields the way a crontab sets them: the wrappers' flags, <c>CRON_TZ</c>, the schedule, a variable.</summary>
internal static class CrontabFields
{
    public static string Of(string field) => field switch
    {
        "timezone" => "CRON_TZ",
        "schedule" => "the schedule",
        "environment" => "a variable",
        _ => SubmitMapping.FlagOf(field),
    };
}
