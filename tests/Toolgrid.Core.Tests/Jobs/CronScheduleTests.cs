using System.Globalization;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class CronScheduleTests
{
    /// <summary>Enough job names to see how the macros spread a site's jobs.</summary>
    private static readonly string[] JobNames = [.. Enumerable.Range(0, 300).Select(i => "job" + i.ToString(CultureInfo.InvariantCulture))];

    private static CronSchedule Parse(string text, string? zone = null, string tool = "mytool", string job = "digest", string defaultZone = "UTC")
    {
        Assert.True(CronSchedule.TryParse(text, tool, job, zone, defaultZone, out var schedule, out var error), error);
        Assert.NotNull(schedule);
        return schedule;
    }

    private static string Error(string? text, string? zone = null, string defaultZone = "UTC")
    {
        Assert.False(CronSchedule.TryParse(text, "mytool", "digest", zone, defaultZone, out var schedule, out var error));
        Assert.Null(schedule);
        return error;
    }

    /// <summary>The expanded fields of a macro, as numbers; -1 for <c>*</c>.</summary>
    private static int[] Fields(string macro, string tool = "mytool", string job = "digest") =>
        [.. CronSchedule.Expand(macro, tool, job)!.Split(' ').Select(f => f == "*" ? -1 : int.Parse(f, CultureInfo.InvariantCulture))];

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>Due times as local wall-clock times with their offsets, the way a user in that zone reads them.</summary>
    private static string[] Local(CronSchedule schedule, IEnumerable<DateTimeOffset> times) =>
        [.. times.Select(t => TimeZoneInfo.ConvertTime(t, schedule.Zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture))];

    // ---- macros -------------------------------------------------------------------------------

    [Theory]
    [InlineData("@hourly", "m * * * *")]
    [InlineData("@daily", "m h * * *")]
    [InlineData("@midnight", "m h * * *")]
    [InlineData("@weekly", "m h * * w")]
    [InlineData("@monthly", "m h d * *")]
    [InlineData("@yearly", "m h d M *")]
    [InlineData("@annually", "m h d M *")]
    public void Expand_EveryMacro_StaysWithinItsRanges(string macro, string shape)
    {
        var kinds = shape.Split(' ');
        foreach (var job in JobNames)
        {
            var fields = Fields(macro, "mytool", job);
            Assert.Equal(5, fields.Length);
            for (var i = 0; i < 5; i++)
            {
                var (low, high) = kinds[i] switch
                {
                    "m" => (0, 59),
                    "h" => (0, 23),
                    "d" => (1, 28),
                    "M" => (1, 12),
                    "w" => (0, 6),
                    _ => (-1, -1),
                };
                Assert.InRange(fields[i], low, high);
            }

            // And Cronos takes it.
            Parse(macro, job: job);
        }
    }

    [Theory]
    [InlineData("@hourly")]
    [InlineData("@daily")]
    [InlineData("@weekly")]
    [InlineData("@monthly")]
    [InlineData("@yearly")]
    public void Expand_SameJob_IsStable(string macro)
    {
        Assert.Equal(CronSchedule.Expand(macro, "mytool", "digest"), CronSchedule.Expand(macro, "mytool", "digest"));
        Assert.Equal(Parse(macro).Fields, Parse(macro).Fields);
    }

    [Fact]
    public void Expand_Spread_IsTheSameInEveryReleaseAndProcess()
    {
        // Pinned: a change to the hash would move every site's jobs to new times.
        Assert.Equal("1 23 * * *", CronSchedule.Expand("@daily", "mytool", "digest"));
        Assert.Equal("1 23 * * 0", CronSchedule.Expand("@weekly", "mytool", "digest"));
        Assert.Equal("1 23 23 2 *", CronSchedule.Expand("@yearly", "mytool", "digest"));
    }

    [Fact]
    public void Expand_Hourly_SpreadsJobsOverTheHour()
    {
        var minutes = JobNames.Select(j => Fields("@hourly", "mytool", j)[0]).ToList();

        // 300 jobs over 60 minutes: about 5 a minute, and hardly a minute left out.
        Assert.True(minutes.Distinct().Count() >= 55, $"only {minutes.Distinct().Count()} distinct minutes");
        Assert.True(minutes.CountBy(m => m).Max(g => g.Value) <= 15, "one minute holds too many jobs");
        Assert.True(minutes.Count(m => m == 0) <= 15, "jobs pile up at :00");
    }

    [Fact]
    public void Expand_Daily_SpreadsJobsOverTheDay()
    {
        var times = JobNames.Select(j => Fields("@daily", "mytool", j)).ToList();

        Assert.Equal(24, times.Select(t => t[1]).Distinct().Count());
        Assert.True(times.Select(t => (t[0], t[1])).Distinct().Count() >= 250, "too many jobs share a minute of the day");
        Assert.Equal(times.Select(t => (t[0], t[1])), JobNames.Select(j => Fields("@midnight", "mytool", j)).Select(t => (t[0], t[1])));
    }

    [Fact]
    public void Expand_Weekly_SpreadsJobsOverTheWeek() =>
        Assert.Equal(7, JobNames.Select(j => Fields("@weekly", "mytool", j)[4]).Distinct().Count());

    [Fact]
    public void Expand_Monthly_SpreadsOverDays1To28AndNeverLandsOn29To31()
    {
        var days = Enumerable.Range(0, 2000).Select(i => Fields("@monthly", "tool" + i.ToString(CultureInfo.InvariantCulture), "digest")[2]).ToList();

        Assert.All(days, d => Assert.InRange(d, 1, 28));
        Assert.Equal(28, days.Distinct().Count());
    }

    [Fact]
    public void Expand_Yearly_SpreadsOverTheMonths() =>
        Assert.Equal(12, JobNames.Select(j => Fields("@yearly", "mytool", j)[3]).Distinct().Count());

    [Fact]
    public void Expand_SameJobNameInDifferentTools_Differs()
    {
        var times = Enumerable.Range(0, 300)
            .Select(i => CronSchedule.Expand("@daily", "tool" + i.ToString(CultureInfo.InvariantCulture), "update"))
            .ToList();

        Assert.True(times.Distinct().Count() >= 250, $"only {times.Distinct().Count()} distinct times");
        Assert.NotEqual(CronSchedule.Expand("@daily", "a", "bc"), CronSchedule.Expand("@daily", "ab", "c"));
    }

    [Theory]
    [InlineData("@reboot")]
    [InlineData("@every_minute")]
    [InlineData("@every_second")]
    [InlineData("@weekdays")]
    [InlineData("@")]
    public void Expand_UnknownMacro_IsNull(string macro) => Assert.Null(CronSchedule.Expand(macro, "mytool", "digest"));

    [Theory]
    [InlineData("@DAILY")]
    [InlineData("  @Daily\t")]
    public void TryParse_Macro_IgnoresCaseAndSpace(string text)
    {
        var schedule = Parse(text);

        Assert.Equal(CronSchedule.Expand("@daily", "mytool", "digest"), schedule.Fields);
        Assert.Equal(text.Trim(), schedule.Text);
    }

    [Fact]
    public void Next_Monthly_FallsDueEveryMonthIncludingFebruary()
    {
        var times = Parse("@monthly").Next(Utc(2027, 1, 1, 0, 0), 24);

        Assert.Equal(24, times.Count);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (i % 12) + 1), times.Select(t => t.Month));
        Assert.Single(times.Select(t => t.Day).Distinct());
    }

    [Fact]
    public void Next_Hourly_IsAnHourApartAtTheSpreadMinute()
    {
        var minute = Fields("@hourly")[0];
        var times = Parse("@hourly").Next(Utc(2026, 11, 27, 12, 0), 3);

        Assert.All(times, t => Assert.Equal(minute, t.Minute));
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(1)], times.Zip(times.Skip(1), (a, b) => b - a));
    }

    [Fact]
    public void Next_Weekly_IsAWeekApartOnTheSpreadDay()
    {
        var fields = Fields("@weekly");
        var times = Parse("@weekly").Next(Utc(2026, 11, 27, 12, 0), 3);

        Assert.All(times, t => Assert.Equal((DayOfWeek)fields[4], t.DayOfWeek));
        Assert.All(times, t => Assert.Equal((fields[1], fields[0]), (t.Hour, t.Minute)));
        Assert.Equal([TimeSpan.FromDays(7), TimeSpan.FromDays(7)], times.Zip(times.Skip(1), (a, b) => b - a));
    }

    [Fact]
    public void Next_Yearly_IsOnceAYear()
    {
        var times = Parse("@yearly").Next(Utc(2026, 11, 27, 12, 0), 3);

        Assert.Equal(3, times.Select(t => t.Year).Distinct().Count());
        Assert.Single(times.Select(t => (t.Month, t.Day, t.Hour, t.Minute)).Distinct());
    }

    // ---- five fields --------------------------------------------------------------------------

    [Theory]
    [InlineData("30 2 * * MON-FRI")]
    [InlineData("30 2 * * mon-fri")]
    [InlineData("30 2 * * Mon-Fri")]
    [InlineData("30 2 * * 1-5")]
    public void Next_WeekdayNames_AnyCase_OnlyMondayToFriday(string text)
    {
        var times = Parse(text).Next(Utc(2026, 11, 27, 12, 0), 10);

        Assert.All(times, t => Assert.InRange((int)t.DayOfWeek, (int)DayOfWeek.Monday, (int)DayOfWeek.Friday));
        Assert.All(times, t => Assert.Equal((2, 30), (t.Hour, t.Minute)));
        Assert.Equal(Utc(2026, 11, 30, 2, 30), times[0]);
    }

    [Theory]
    [InlineData("0 9 1 JAN *")]
    [InlineData("0 9 1 jan *")]
    [InlineData("0 9 1 1 *")]
    public void Next_MonthNames_AnyCase(string text) =>
        Assert.Equal([Utc(2027, 1, 1, 9, 0), Utc(2028, 1, 1, 9, 0)], Parse(text).Next(Utc(2026, 11, 27, 12, 0), 2));

    [Theory]
    [InlineData("0 0 * * 0")]
    [InlineData("0 0 * * 7")]
    [InlineData("0 0 * * SUN")]
    public void Next_Sunday_IsZeroSevenOrSun(string text) =>
        Assert.Equal(Utc(2026, 11, 29, 0, 0), Parse(text).NextAfter(Utc(2026, 11, 27, 12, 0)));

    [Fact]
    public void TryParse_ExtraSpaceAndTabs_AreOneSeparator()
    {
        var schedule = Parse("  30  2\t* *   * ");

        Assert.Equal("30 2 * * *", schedule.Fields);
        Assert.Equal(Utc(2026, 11, 28, 2, 30), schedule.NextAfter(Utc(2026, 11, 27, 12, 0)));
    }

    [Fact]
    public void Next_ListsRangesAndSteps()
    {
        var times = Parse("*/20 9-10,17 * * MON").Next(Utc(2026, 11, 27, 12, 0), 7);

        Assert.Equal(
            [Utc(2026, 11, 30, 9, 0), Utc(2026, 11, 30, 9, 20), Utc(2026, 11, 30, 9, 40), Utc(2026, 11, 30, 10, 0), Utc(2026, 11, 30, 10, 20), Utc(2026, 11, 30, 10, 40), Utc(2026, 11, 30, 17, 0)],
            times);
    }

    [Fact]
    public void Next_ReversedRange_WrapsAroundMidnight() =>
        Assert.Equal([22, 23, 0, 1, 2, 22], Parse("0 22-2 * * *").Next(Utc(2026, 11, 27, 12, 0), 6).Select(t => t.Hour));

    [Fact]
    public void Next_DayOfMonthAndDayOfWeek_BothMustMatch()
    {
        // Cronos, unlike Vixie cron (which would run on every 13th and every Friday): Friday the 13th only.
        var times = Parse("0 0 13 * FRI").Next(Utc(2026, 1, 1, 0, 0), 3);

        Assert.Equal([Utc(2026, 2, 13, 0, 0), Utc(2026, 3, 13, 0, 0), Utc(2026, 11, 13, 0, 0)], times);
    }

    [Fact]
    public void Next_February29_IsEveryLeapYear() =>
        Assert.Equal([Utc(2028, 2, 29, 0, 0), Utc(2032, 2, 29, 0, 0)], Parse("0 0 29 FEB *").Next(Utc(2026, 11, 27, 12, 0), 2));

    // ---- bad input ----------------------------------------------------------------------------

    [Theory]
    [InlineData(null, "a schedule is required")]
    [InlineData("", "a schedule is required")]
    [InlineData("   ", "a schedule is required")]
    [InlineData("0 2 * *", "'0 2 * *' has 4 fields; a schedule has five: minute hour day-of-month month day-of-week")]
    [InlineData("0 0 2 * * *", "'0 0 2 * * *' has 6 fields; a schedule has five")]
    [InlineData("* * * * * * *", "has 7 fields; a schedule has five")]
    [InlineData("daily", "has 1 fields")]
    [InlineData("@reboot", "'@reboot' is not a schedule macro: use @hourly, @daily, @weekly, @monthly or @yearly.")]
    [InlineData("@every_minute", "'@every_minute' is not a schedule macro")]
    [InlineData("61 * * * *", "'61 * * * *' is not a valid schedule: Minutes: Value must be a number between 0 and 59 (all inclusive).")]
    [InlineData("0-60 * * * *", "is not a valid schedule: Minutes: Value must be a number between 0 and 59")]
    [InlineData("*/0 * * * *", "is not a valid schedule: Minutes:")]
    [InlineData("0 24 * * *", "is not a valid schedule: Hours: Value must be a number between 0 and 23")]
    [InlineData("0 0 0 * *", "is not a valid schedule: Days of month: Value must be a number between 1 and 31")]
    [InlineData("0 0 32 * *", "is not a valid schedule: Days of month:")]
    [InlineData("0 0 * 13 *", "is not a valid schedule: Months: Value must be a number between 1 and 12")]
    [InlineData("0 0 * FOO *", "is not a valid schedule: Months:")]
    [InlineData("0 0 * * 8", "is not a valid schedule: Days of week: Value must be a number between 0 and 7")]
    [InlineData("0 0 1 * SUNDAY", "is not a valid schedule: Days of week:")]
    [InlineData("a b c d e", "is not a valid schedule: Minutes:")]
    [InlineData("0 0 30 FEB *", "'0 0 30 FEB *' never falls due")]
    [InlineData("0 0 31 4 *", "'0 0 31 4 *' never falls due")]
    public void TryParse_BadSchedule_SaysWhatIsWrong(string? text, string expected)
    {
        var error = Error(text);

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("The given cron expression has an invalid format", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Central European Time")]
    [InlineData("../../../etc/passwd")]
    [InlineData("")]
    public void TryParse_UnknownZone_SaysHowToNameOne(string zone) =>
        Assert.Equal(
            $"'{zone}' is not a known time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC.",
            Error("0 0 * * *", zone));

    [Fact]
    public void TryParse_UnknownSiteZone_IsNamedWhenTheJobHasNone() =>
        Assert.StartsWith("'Nowhere/Land' is not a known time zone", Error("0 0 * * *", zone: null, defaultZone: "Nowhere/Land"), StringComparison.Ordinal);

    [Fact]
    public void TryParse_Zone_JobsOwnOrElseTheSites()
    {
        Assert.Equal("Europe/Berlin", Parse("0 0 * * *", zone: null, defaultZone: "Europe/Berlin").Zone.Id);
        Assert.Equal("America/New_York", Parse("0 0 * * *", zone: "America/New_York", defaultZone: "Europe/Berlin").Zone.Id);
        Assert.Equal(Utc(2026, 11, 28, 5, 0), Parse("0 0 * * *", zone: "America/New_York").NextAfter(Utc(2026, 11, 27, 12, 0)));
    }

    // ---- daylight saving: Europe/Berlin, 2026-03-29 02:00 CET → 03:00 CEST and 2026-10-25 03:00 CEST → 02:00 CET

    [Fact]
    public void Between_BerlinSpringForward_DailyInTheGapRunsOnceRightAfterIt()
    {
        var schedule = Parse("30 2 * * *", "Europe/Berlin");

        Assert.Equal(
            ["2026-03-28 02:30 +01:00", "2026-03-29 03:00 +02:00", "2026-03-30 02:30 +02:00"],
            Local(schedule, schedule.Between(Utc(2026, 3, 27, 12, 0), Utc(2026, 3, 30, 12, 0))));
    }

    [Fact]
    public void Between_BerlinSpringForward_HourlyHasNoRunInTheGapAndNothingTwice()
    {
        var schedule = Parse("15 * * * *", "Europe/Berlin");
        var times = schedule.Between(Utc(2026, 3, 28, 23, 0), Utc(2026, 3, 29, 3, 0));

        // 02:15 does not exist that night: it falls due once, at 03:00, right after the gap; 03:15 as usual.
        Assert.Equal(
            ["2026-03-29 00:15 +01:00", "2026-03-29 01:15 +01:00", "2026-03-29 03:00 +02:00", "2026-03-29 03:15 +02:00", "2026-03-29 04:15 +02:00"],
            Local(schedule, times));
        Assert.Equal(times.Count, times.Distinct().Count());
    }

    [Fact]
    public void Between_BerlinSpringForward_HourlyOnTheHourIsNotDoubled()
    {
        var schedule = Parse("0 * * * *", "Europe/Berlin");

        Assert.Equal(
            ["2026-03-29 01:00 +01:00", "2026-03-29 03:00 +02:00", "2026-03-29 04:00 +02:00"],
            Local(schedule, schedule.Between(Utc(2026, 3, 28, 23, 30), Utc(2026, 3, 29, 2, 0))));
    }

    [Fact]
    public void Between_BerlinFallBack_DailyInTheRepeatedHourRunsOnceInTheFirstPass()
    {
        var schedule = Parse("30 2 * * *", "Europe/Berlin");

        Assert.Equal(
            ["2026-10-24 02:30 +02:00", "2026-10-25 02:30 +02:00", "2026-10-26 02:30 +01:00"],
            Local(schedule, schedule.Between(Utc(2026, 10, 23, 12, 0), Utc(2026, 10, 26, 12, 0))));
    }

    [Fact]
    public void Between_BerlinFallBack_HourlyRunsOnceInEachPassOfTheRepeatedHour()
    {
        var schedule = Parse("15 * * * *", "Europe/Berlin");
        var times = schedule.Between(Utc(2026, 10, 24, 23, 0), Utc(2026, 10, 25, 3, 0));

        Assert.Equal(
            ["2026-10-25 01:15 +02:00", "2026-10-25 02:15 +02:00", "2026-10-25 02:15 +01:00", "2026-10-25 03:15 +01:00"],
            Local(schedule, times));

        // In real time it stays hourly: no two runs closer than an hour.
        Assert.All(times.Zip(times.Skip(1), (a, b) => b - a), gap => Assert.Equal(TimeSpan.FromHours(1), gap));
    }

    [Fact]
    public void Between_BerlinFallBack_StepsInAFixedHourRunInBothPasses()
    {
        var schedule = Parse("*/30 2 * * *", "Europe/Berlin");

        Assert.Equal(
            ["2026-10-25 02:00 +02:00", "2026-10-25 02:30 +02:00", "2026-10-25 02:00 +01:00", "2026-10-25 02:30 +01:00"],
            Local(schedule, schedule.Between(Utc(2026, 10, 24, 12, 0), Utc(2026, 10, 25, 12, 0))));
    }

    // ---- daylight saving: America/New_York, 2026-03-08 02:00 EST → 03:00 EDT and 2026-11-01 02:00 EDT → 01:00 EST

    [Fact]
    public void Between_NewYorkSpringForward_DailyInTheGapRunsOnceRightAfterIt()
    {
        var schedule = Parse("30 2 * * *", "America/New_York");

        Assert.Equal(
            ["2026-03-07 02:30 -05:00", "2026-03-08 03:00 -04:00", "2026-03-09 02:30 -04:00"],
            Local(schedule, schedule.Between(Utc(2026, 3, 6, 12, 0), Utc(2026, 3, 9, 12, 0))));
    }

    [Fact]
    public void Between_NewYorkSpringForward_HourlyHasNoRunInTheGapAndNothingTwice()
    {
        var schedule = Parse("15 * * * *", "America/New_York");
        var times = schedule.Between(Utc(2026, 3, 8, 5, 0), Utc(2026, 3, 8, 8, 30));

        Assert.Equal(
            ["2026-03-08 00:15 -05:00", "2026-03-08 01:15 -05:00", "2026-03-08 03:00 -04:00", "2026-03-08 03:15 -04:00", "2026-03-08 04:15 -04:00"],
            Local(schedule, times));
        Assert.Equal(times.Count, times.Distinct().Count());
    }

    [Fact]
    public void Between_NewYorkFallBack_DailyInTheRepeatedHourRunsOnce()
    {
        var schedule = Parse("30 1 * * *", "America/New_York");

        Assert.Equal(
            ["2026-10-31 01:30 -04:00", "2026-11-01 01:30 -04:00", "2026-11-02 01:30 -05:00"],
            Local(schedule, schedule.Between(Utc(2026, 10, 30, 12, 0), Utc(2026, 11, 2, 12, 0))));
    }

    [Fact]
    public void Between_NewYorkFallBack_DailyJustAfterTheRepeatedHourIsUntouched()
    {
        var schedule = Parse("30 2 * * *", "America/New_York");

        Assert.Equal(
            ["2026-11-01 02:30 -05:00"],
            Local(schedule, schedule.Between(Utc(2026, 11, 1, 0, 0), Utc(2026, 11, 2, 0, 0))));
    }

    [Fact]
    public void Between_NewYorkFallBack_HourlyRunsOnceInEachPassOfTheRepeatedHour()
    {
        var schedule = Parse("15 * * * *", "America/New_York");

        Assert.Equal(
            ["2026-11-01 00:15 -04:00", "2026-11-01 01:15 -04:00", "2026-11-01 01:15 -05:00", "2026-11-01 02:15 -05:00"],
            Local(schedule, schedule.Between(Utc(2026, 11, 1, 4, 0), Utc(2026, 11, 1, 7, 30))));
    }

    [Theory]
    [InlineData("30 1 * * *", "America/New_York", 2026, 11, 1)]
    [InlineData("15 * * * *", "America/New_York", 2026, 11, 1)]
    [InlineData("*/7 1-3 * * *", "America/New_York", 2026, 11, 1)]
    [InlineData("30 2 * * *", "Europe/Berlin", 2026, 10, 25)]
    [InlineData("15 * * * *", "Europe/Berlin", 2026, 10, 25)]
    [InlineData("*/30 2 * * *", "Europe/Berlin", 2026, 10, 25)]
    [InlineData("30 2 * * *", "Europe/Berlin", 2026, 3, 29)]
    [InlineData("15 * * * *", "Europe/Berlin", 2026, 3, 29)]
    [InlineData("15 * * * *", "America/New_York", 2026, 3, 8)]
    public void NextAfter_ResumingFromEachDueTime_FindsEachDueTimeOnce(string text, string zone, int year, int month, int day)
    {
        // The scheduler resumes from the last due time it dealt with; across a DST change that must
        // neither skip a due time nor find one again.
        var schedule = Parse(text, zone);
        var from = Utc(year, month, day, 0, 0).AddDays(-1);
        var to = from.AddDays(3);
        var all = schedule.Between(from, to);

        var resumed = new List<DateTimeOffset>();
        for (var cursor = from; schedule.NextAfter(cursor) is { } next && next <= to; cursor = next)
        {
            resumed.Add(next);
        }

        Assert.Equal(all, resumed);
        Assert.Equal(all.Count, all.Distinct().Count());

        // Resuming from any instant (a controller that looks every minute) agrees too.
        var byMinute = new SortedSet<DateTimeOffset>();
        for (var t = from; t < to; t = t.AddMinutes(1))
        {
            byMinute.UnionWith(schedule.Between(t, t.AddMinutes(1)));
        }

        Assert.Equal(all, byMinute);
    }

    // ---- between and next ---------------------------------------------------------------------

    [Fact]
    public void Between_ExcludesFromAndIncludesTo()
    {
        var schedule = Parse("0 * * * *");

        Assert.Equal([Utc(2026, 11, 27, 13, 0), Utc(2026, 11, 27, 14, 0)], schedule.Between(Utc(2026, 11, 27, 12, 0), Utc(2026, 11, 27, 14, 0)));
    }

    [Fact]
    public void Between_Limit_KeepsTheOldest() =>
        Assert.Equal(
            [Utc(2026, 11, 27, 12, 1), Utc(2026, 11, 27, 12, 2)],
            Parse("* * * * *").Between(Utc(2026, 11, 27, 12, 0), Utc(2026, 11, 28, 12, 0), limit: 2));

    [Fact]
    public void Between_ToNotAfterFrom_IsEmpty()
    {
        // A clock that steps back (or a due time dealt with by a controller whose clock runs ahead).
        Assert.Empty(Parse("* * * * *").Between(Utc(2026, 11, 27, 12, 0), Utc(2026, 11, 27, 11, 0)));
        Assert.Empty(Parse("* * * * *").Between(Utc(2026, 11, 27, 12, 0), Utc(2026, 11, 27, 12, 0)));
    }
}
