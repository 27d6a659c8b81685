using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace Toolgrid.Proxy;

/// <summary>Checks <see cref="ProxyOptions"/>, reporting every problem at once.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = ProxyOptions.Section;
        _ = ProxyListener.Parse(options.Urls, failures);

        if (options.Domain is { Length: > 0 } domain && Uri.CheckHostName(domain) != UriHostNameType.Dns)
        {
            failures.Add($"{section}:Domain must be a DNS name such as toolgrid.example.org; it is '{domain}'.");
        }

        if (options.AdminHost is { Length: > 0 } admin && Uri.CheckHostName(admin) == UriHostNameType.Unknown)
        {
            failures.Add($"{section}:AdminHost must be a host name; it is '{admin}'.");
        }

        if (options.PublicUrl is { Length: > 0 } publicUrl
            && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/"))
        {
            failures.Add($"{section}:PublicUrl must be an http(s) address with no path, such as https://toolgrid.example.org; it is '{publicUrl}'.");
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add($"{section}:MaxRequestBodyBytes must be positive; it is {options.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)}.");
        }

        foreach (var (key, value, least) in new[]
        {
            (nameof(options.ReadTimeout), options.ReadTimeout, TimeSpan.FromSeconds(1)),
            (nameof(options.ConnectTimeout), options.ConnectTimeout, TimeSpan.FromMilliseconds(10)),
            (nameof(options.RefreshInterval), options.RefreshInterval, TimeSpan.FromMilliseconds(10)),
            (nameof(options.ToolsRefreshInterval), options.ToolsRefreshInterval, TimeSpan.FromMilliseconds(10)),
            (nameof(options.StatusCacheDuration), options.StatusCacheDuration, TimeSpan.Zero),
            (nameof(options.HealthCheckInterval), options.HealthCheckInterval, TimeSpan.FromMilliseconds(100)),
            (nameof(options.HealthCheckTimeout), options.HealthCheckTimeout, TimeSpan.FromMilliseconds(10)),
            (nameof(options.FailedReplicaPause), options.FailedReplicaPause, TimeSpan.FromMilliseconds(10)),
        })
        {
            if (value < least)
            {
                failures.Add($"{section}:{key} must be at least {least}; it is {value}.");
            }
        }

        if (options.RefreshInterval > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{section}:RefreshInterval must be at most 1 s, so that route changes reach the proxy within a second; it is {options.RefreshInterval}.");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{section}:MaxAttempts must be between 1 and 10; it is {options.MaxAttempts.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.RetryBufferBytes < 0)
        {
            failures.Add($"{section}:RetryBufferBytes must not be negative.");
        }

        foreach (var proxy in options.TrustedProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"{section}:TrustedProxies has '{proxy}', which is not an IP address.");
            }
        }

        foreach (var (node, address) in options.NodeAddresses)
        {
            if (string.IsNullOrWhiteSpace(address) || Uri.CheckHostName(address.Trim('[', ']')) == UriHostNameType.Unknown)
            {
                failures.Add($"{section}:NodeAddresses:{node} must be a host name or IP address; it is '{address}'.");
            }
        }

        NginxChecks.Validate(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
