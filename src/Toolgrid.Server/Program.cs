using Toolgrid.Server.Hosting;

return await ServerHost.RunAsync(args);

/// <summary>The entry point, visible to functional tests (WebApplicationFactory).</summary>
public partial class Program;
