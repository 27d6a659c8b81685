using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>/api/v1/tools</c>: creating, finding, listing and deleting tools.</summary>
public sealed class ToolEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    public static readonly TheoryData<string> BadNames = new()
    {
        "Weather",
        "1weather",
        "weather-",
        "-weather",
        "weather_bot",
        "weather bot",
        "weather\n",
        "../etc",
        "w" + new string('x', 32),
    };

    public static readonly TheoryData<string> NotObjects = new() { "[]", "\"weather\"", "42", "null", "true" };

    public static readonly TheoryData<string> NotJson = new() { "", "{", "{name: 'weather'}", "{\"name\": \"weather\",}", "<tool/>" };

    [ApiFact]
    public async Task Create_answers_201_with_the_tool_and_its_creator_as_first_maintainer()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name = "weather", description = "Forecasts for wikis" });

        var tool = await response.ReadAsync<ToolView>(HttpStatusCode.Created);
        Assert.Equal("/api/v1/tools/weather", response.Headers.Location?.OriginalString);
        Assert.Equal("weather", tool.Name);
        Assert.Equal("Forecasts for wikis", tool.Description);
        Assert.Equal(People.Nobody, Assert.Single(tool.Maintainers).User);
        Assert.Equal(People.Nobody, tool.CreatedBy);
        Assert.False(tool.Disabled);
        Assert.Equal(0, tool.Jobs);
        Assert.Equal(new LimitsView("512Mi", "0.5", "4Gi", "1", 16), tool.Limits);
        Assert.Equal(tool, await nobody.GetToolAsync("weather"), new ToolViewComparer());
    }

    [ApiFact]
    public async Task Create_makes_the_home_and_its_public_html_under_the_data_root()
    {
        using var nobody = factory.As(People.Nobody);

        var tool = await nobody.CreateToolAsync("homely");

        Assert.Equal(factory.HomeOf("homely"), tool.Home);
        Assert.True(Directory.Exists(tool.Home), tool.Home);
        Assert.True(Directory.Exists(Path.Combine(tool.Home, "public_html")));
    }

    [ApiTheory]
    [MemberData(nameof(BadNames))]
    public async Task Create_with_a_bad_name_answers_400_about_the_name_and_makes_nothing(string name)
    {
        using var nobody = factory.As(People.Nobody);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name });

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(["name"], problem.Fields);
        Assert.Contains("lower-case letters", problem.MessageFor("name"), StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Create_without_a_name_says_a_name_is_required()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { description = "nameless" });

        var problem = await response.ValidationProblemAsync();
        Assert.Contains("required", problem.MessageFor("name"), StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Create_with_a_bad_name_and_a_too_long_description_reports_both_at_once()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name = "Bad Name", description = new string('d', 1025) });

        var problem = await response.ValidationProblemAsync();
        Assert.Equal(["name", "description"], problem.Fields);
        Assert.Contains("1025", problem.MessageFor("description"), StringComparison.Ordinal);
        Assert.Contains("1024", problem.MessageFor("description"), StringComparison.Ordinal);
        Assert.StartsWith("2 problems: name: ", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("; description: ", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Create_with_control_characters_in_the_description_refuses_it()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name = "bell", description = "ding\u0007" });

        var problem = await response.ValidationProblemAsync();
        Assert.Contains("control characters", problem.MessageFor("description"), StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Create_with_a_name_taken_answers_409_tool_exists_saying_how_to_join_it()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("taken");

        using var response = await daemon.PostJsonAsync("/api/v1/tools", new { name = "taken" });

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "tool-exists");
        Assert.Contains("toolgrid maintainers add taken daemon", problem.Detail, StringComparison.Ordinal);
        Assert.Equal([People.Nobody], (await nobody.ListMaintainersAsync("taken")).Select(m => m.User));
    }

    [ApiFact]
    public async Task Create_with_an_unknown_field_answers_400_naming_it_and_the_known_fields()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name = "colourful", colour = "blue" });

        var problem = await response.ValidationProblemAsync();
        var message = problem.MessageFor("colour");
        Assert.Contains("unknown field 'colour'", message, StringComparison.Ordinal);
        Assert.Contains("name", message, StringComparison.Ordinal);
        Assert.Contains("description", message, StringComparison.Ordinal);
        await AssertNoToolAsync(nobody, "colourful");
    }

    [ApiFact]
    public async Task Create_with_a_field_of_the_wrong_type_says_what_was_expected()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", """{"name": "typed", "description": 42}""");

        var problem = await response.ValidationProblemAsync();
        Assert.Equal("expected a string, got number.", problem.MessageFor("description"));
        await AssertNoToolAsync(nobody, "typed");
    }

    [ApiTheory]
    [MemberData(nameof(NotObjects))]
    public async Task Create_with_a_body_that_is_not_an_object_answers_400_about_the_body(string body)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", body);

        var problem = await response.ValidationProblemAsync();
        Assert.Equal("the body must be a JSON object.", problem.MessageFor("body"));
    }

    [ApiTheory]
    [MemberData(nameof(NotJson))]
    public async Task Create_with_a_body_that_is_not_JSON_answers_400_about_the_body(string body)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", body);

        var problem = await response.ValidationProblemAsync();
        Assert.StartsWith("the body is not valid JSON", problem.MessageFor("body"), StringComparison.Ordinal);
    }

    /// <summary>A body with a field given twice is the caller's mistake: a 400, not a 500.</summary>
    [ApiFact]
    // Known defect: StrictJson.ReadAsync: a duplicate property throws ArgumentException, a 500.
    public async Task Create_with_a_field_given_twice_answers_400_not_500()
    {
        using var nobody = factory.As(People.Nobody);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", """{"name": "twice", "name": "twice"}""");

        await response.ValidationProblemAsync();
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Get_an_unknown_tool_answers_404_suggesting_the_nearest_name()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("citation-bot");

        using var response = await nobody.GetAsync("/api/v1/tools/citaton-bot");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
        Assert.Contains("'citaton-bot'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'citation-bot'?", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task Get_an_unknown_tool_with_no_near_name_suggests_nothing()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.GetAsync("/api/v1/tools/zzzzzzzzzzzzzzzzzzzz");

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
        Assert.DoesNotContain("Did you mean", problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task List_shows_active_tools_in_name_order_and_all_adds_deleted_ones()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("list-b");
        await nobody.CreateToolAsync("list-a");
        await nobody.CreateToolAsync("list-gone");
        using (var deleted = await nobody.DeleteAsync("/api/v1/tools/list-gone"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var active = await nobody.GetJsonAsync<List<ToolView>>("/api/v1/tools");
        var all = await nobody.GetJsonAsync<List<ToolView>>("/api/v1/tools?all=true");

        var names = active.Select(t => t.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("list-a", names);
        Assert.Contains("list-b", names);
        Assert.DoesNotContain("list-gone", names);
        Assert.True(Assert.Single(all, t => t.Name == "list-gone").Disabled);
    }

    [ApiFact]
    public async Task List_counts_each_tools_jobs()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("counted");
        await nobody.RunJobAsync("counted", "one");
        await nobody.RunJobAsync("counted", "two");

        var tools = await nobody.GetJsonAsync<List<ToolView>>("/api/v1/tools");

        Assert.Equal(2, Assert.Single(tools, t => t.Name == "counted").Jobs);
    }

    [ApiFact]
    public async Task Delete_by_a_non_maintainer_answers_403_naming_the_maintainers_and_keeps_the_tool()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("guarded");

        using var response = await daemon.DeleteAsync("/api/v1/tools/guarded");

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
        Assert.Contains("daemon is not a maintainer of tool 'guarded'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("(nobody)", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("toolgrid maintainers add guarded daemon", problem.Detail, StringComparison.Ordinal);
        Assert.False((await nobody.GetToolAsync("guarded")).Disabled);
    }

    [ApiFact]
    public async Task Delete_by_the_maintainer_disables_the_tool_marks_its_jobs_deleted_and_keeps_its_files()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("retiring");
        await nobody.RunJobAsync("retiring", "fetch");
        var notes = Path.Combine(factory.HomeOf("retiring"), "notes.txt");
        await File.WriteAllTextAsync(notes, "keep me");

        using var response = await nobody.DeleteAsync("/api/v1/tools/retiring");

        var tool = await response.ReadAsync<ToolView>();
        Assert.True(tool.Disabled);
        Assert.NotNull(tool.DisabledAt);
        Assert.Equal(0, tool.Jobs);
        Assert.True((await nobody.GetToolAsync("retiring")).Disabled);
        using (var list = await nobody.GetAsync("/api/v1/tools/retiring/jobs"))
        {
            await list.ProblemAsync(HttpStatusCode.Conflict, "tool-disabled");
        }

        var job = await nobody.GetJsonAsync<JobView>("/api/v1/tools/retiring/jobs/fetch");
        Assert.True(job.Deleting);
        Assert.Equal("keep me", await File.ReadAllTextAsync(notes));
    }

    [ApiFact]
    public async Task Delete_by_an_admin_who_does_not_maintain_the_tool_disables_it()
    {
        using var nobody = factory.As(People.Nobody);
        using var root = factory.As(People.Root);
        await nobody.CreateToolAsync("abandoned");

        using var response = await root.DeleteAsync("/api/v1/tools/abandoned");

        Assert.True((await response.ReadAsync<ToolView>()).Disabled);
    }

    [ApiFact]
    public async Task Delete_in_single_user_mode_leaves_the_tokens_of_the_servers_user_working()
    {
        // Every tool "runs as" the server's user (root here); that user's tokens are a person's.
        var secret = factory.AddToken(People.Root);
        using var root = factory.WithToken(secret);
        await root.CreateToolAsync("shared-user");

        using (var deleted = await root.DeleteAsync("/api/v1/tools/shared-user"))
        {
            Assert.True((await deleted.ReadAsync<ToolView>()).Disabled);
        }

        Assert.Equal(People.Root, (await root.GetJsonAsync<WhoAmIView>("/api/v1/whoami")).User);
    }

    [ApiFact]
    public async Task A_deleted_tool_can_run_nothing_and_its_name_is_not_given_out_again()
    {
        using var nobody = factory.As(People.Nobody);
        using var daemon = factory.As(People.Daemon);
        await nobody.CreateToolAsync("bygone");
        using (var deleted = await nobody.DeleteAsync("/api/v1/tools/bygone"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var run = await nobody.PostJsonAsync("/api/v1/tools/bygone/jobs", new { name = "late", command = "true" });
        using var recreate = await daemon.PostJsonAsync("/api/v1/tools", new { name = "bygone" });

        var disabled = await run.ProblemAsync(HttpStatusCode.Conflict, "tool-disabled");
        Assert.Contains(factory.HomeOf("bygone"), disabled.Detail, StringComparison.Ordinal);
        var exists = await recreate.ProblemAsync(HttpStatusCode.Conflict, "tool-exists");
        Assert.Contains("was deleted", exists.Detail, StringComparison.Ordinal);
        Assert.Contains("Choose another name", exists.Detail, StringComparison.Ordinal);
        Assert.Equal([People.Nobody], (await nobody.ListMaintainersAsync("bygone")).Select(m => m.User));
    }

    private static async Task AssertNoToolAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/api/v1/tools/{name}");
        await response.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
    }

    /// <summary>Tools compared by what they show, the maintainers' list included.</summary>
    private sealed class ToolViewComparer : IEqualityComparer<ToolView>
    {
        public bool Equals(ToolView? x, ToolView? y) =>
            x is not null && y is not null
            && x with { Maintainers = [], CreatedAt = default } == y with { Maintainers = [], CreatedAt = default }
            && x.Maintainers.Select(m => m.User).SequenceEqual(y.Maintainers.Select(m => m.User));

        public int GetHashCode(ToolView obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
