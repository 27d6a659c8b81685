using System.Net;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Server.Tests.Support;

/// <summary>The steps most tests take before the one they are about.</summary>
public static class ToolgridApi
{
    /// <summary>Creates a tool as the client's caller, who becomes its maintainer.</summary>
    public static async Task<ToolView> CreateToolAsync(this HttpClient client, string name)
    {
        using var response = await client.PostJsonAsync("/api/v1/tools", new { name });
        return await response.ReadAsync<ToolView>(HttpStatusCode.Created);
    }

    /// <summary>Submits a one-off job; <paramref name="request"/> is the JSON body.</summary>
    public static async Task<JobView> RunJobAsync(this HttpClient client, string tool, object request)
    {
        using var response = await client.PostJsonAsync($"/api/v1/tools/{tool}/jobs", request);
        return await response.ReadAsync<JobView>(HttpStatusCode.Created);
    }

    /// <summary>Submits a one-off job that runs <c>true</c>.</summary>
    public static Task<JobView> RunJobAsync(this HttpClient client, string tool, string job) =>
        client.RunJobAsync(tool, new { name = job, command = "true" });

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ReadAsync<T>();
    }

    public static Task<ToolView> GetToolAsync(this HttpClient client, string tool) =>
        client.GetJsonAsync<ToolView>($"/api/v1/tools/{tool}");

    public static Task<List<JobView>> ListJobsAsync(this HttpClient client, string tool) =>
        client.GetJsonAsync<List<JobView>>($"/api/v1/tools/{tool}/jobs");

    public static Task<List<MaintainerView>> ListMaintainersAsync(this HttpClient client, string tool) =>
        client.GetJsonAsync<List<MaintainerView>>($"/api/v1/tools/{tool}/maintainers");

    /// <summary>An admin raises or resets a tool's limits.</summary>
    public static async Task<LimitsView> PatchLimitsAsync(this HttpClient admin, string tool, object update)
    {
        using var response = await admin.PatchJsonAsync($"/api/v1/tools/{tool}/limits", update);
        return await response.ReadAsync<LimitsView>();
    }
}
