namespace Toolgrid.Server.Api;

/// <summary>The job behind a tool's web service.</summary>
public static class WebserviceJob
{
    /// <summary>A tool's web service is its continuous job of this name.</summary>
    public const string Name = "webservice";
}
