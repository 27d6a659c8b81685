using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>How failures reach a caller: as problems, a 500 never showing what went wrong inside.</summary>
public sealed class ToolgridExceptionHandlerTests(ToolgridExceptionHandlerTests.FailingPartsFactory factory) : IClassFixture<ToolgridExceptionHandlerTests.FailingPartsFactory>
{
    private const string InnerSecret = "connection string Password=hunter2";

    [ApiFact]
    public async Task An_unexpected_failure_answers_500_with_a_trace_id_and_no_exception_text()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.GetAsync("/api/v1/status");

        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.ProblemAsync(HttpStatusCode.InternalServerError, "internal");
        Assert.False(string.IsNullOrWhiteSpace(problem.TraceId));
        Assert.Contains(problem.TraceId, problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_failing_system_answers_503_and_the_refused_tool_is_not_recorded()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", new { name = "homeless" });

        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable, "tool-home-failed");
        Assert.Contains(factory.DataRoot, problem.Detail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.TraceId));
        using var lookup = await nobody.GetAsync("/api/v1/tools/homeless");
        await lookup.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
    }

    /// <summary>
    /// docs/api.md: "Every error is an RFC 7807 problem". A query parameter that does not parse is
    /// the caller's mistake, and toolgridd runs in Production, where ASP.NET Core answers a bare
    /// 400 unless told to throw.
    /// </summary>
    [ApiTheory]
    // Known defect: ServerServiceCollectionExtensions: RouteHandlerOptions.ThrowOnBadRequest is off in Production, so binding failures are bare 400s.
    [InlineData("/api/v1/tools?all=maybe")]
    [InlineData("/api/v1/tools/some-tool/jobs/some-job?wait=please")]
    [InlineData("/api/v1/tools/some-tool/jobs/some-job?timeout=soon")]
    [InlineData("/api/v1/tools/some-tool/jobs/some-job/logs?lines=many")]
    [InlineData("/api/v1/tools/some-tool/jobs/some-job/logs?follow=always")]
    public async Task A_query_parameter_of_the_wrong_type_answers_a_400_problem_naming_it(string path)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.GetAsync(path);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "bad-request");
        var parameter = path[(path.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('=')[0];
        Assert.Contains(parameter, problem.Detail, StringComparison.Ordinal);
    }

    [ApiFact]
    public async Task A_refusal_answers_exactly_the_members_clients_read_and_no_trace_id()
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.GetAsync("/api/v1/tools?all=maybe");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "bad-request");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var members = body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["detail", "errorCode", "errors", "instance", "status", "title", "type"], members);
        Assert.Equal("/api/v1/tools", problem.Instance);
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(["field", "message"], error.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("all", error.GetProperty("field").GetString());
    }

    /// <summary>
    /// The API server with parts that fail: a warning source that throws (as a bug would) and a
    /// data root that is a file, where no home can be made.
    /// </summary>
    public sealed class FailingPartsFactory : ToolgridApiFactory
    {
        public FailingPartsFactory() => File.WriteAllText(DataRoot, "a file where the data root should be\n");

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<IWarningSource, ThrowingWarnings>();

        private sealed class ThrowingWarnings : IWarningSource
        {
            public IReadOnlyList<string> Warnings => throw new InvalidOperationException(InnerSecret);
        }
    }
}
