using Toolgrid.Cli.Wrappers;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Crontab;

/// <summary>Names the API's job fields the way a crontab sets them: the wrappers' flags, <c>CRON_TZ</c>, the schedule, a variable.</summary>
internal static class CrontabFields
{
    public static string Of(string field) => field switch
    {
        JobFieldNames.Timezone => "CRON_TZ",
        JobFieldNames.Schedule => "the schedule",
        JobFieldNames.Environment => "a variable",
        _ => SubmitMapping.FlagOf(field),
    };
}
