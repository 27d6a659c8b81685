using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Toolgrid.Backends.Local;

/// <summary>Checks <see cref="LocalBackendOptions"/>, reporting every failure at once.</summary>
internal sealed partial class LocalBackendOptionsValidator : IValidateOptions<LocalBackendOptions>
{
    /// <summary>sun_path holds 108 bytes with the terminating NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    public ValidateOptionsResult Validate(string? name, LocalBackendOptions options)
    {
        var failures = new List<string>();
        const string Section = LocalBackendOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.RunDirectory) || !Path.IsPathFullyQualified(options.RunDirectory))
        {
            failures.Add($"{Section}:RunDirectory must be an absolute path (it is \"{options.RunDirectory}\").");
        }

        if (options.ShepherdPath is not null && !Path.IsPathFullyQualified(options.ShepherdPath))
        {
            failures.Add($"{Section}:ShepherdPath must be an absolute path (it is \"{options.ShepherdPath}\").");
        }

        var shepherd = LocalBackend.ResolveShepherdPath(options);
        if (Path.IsPathFullyQualified(shepherd) && !File.Exists(shepherd))
        {
            failures.Add($"{Section}:ShepherdPath: the shepherd program {shepherd} does not exist (it is built with the Toolgrid.Backends.Local project; is gcc installed?).");
        }

        if (options.NodeName is { } node && string.IsNullOrWhiteSpace(node))
        {
            failures.Add($"{Section}:NodeName must not be blank.");
        }

        foreach (var queue in options.Queues)
        {
            if (!QueueName().IsMatch(queue ?? string.Empty))
            {
                failures.Add($"{Section}:Queues: \"{queue}\" is not a queue name (lower-case letters, digits and '-').");
            }
        }

        if (options.MemoryBytes is <= 0)
        {
            failures.Add($"{Section}:MemoryBytes must be positive (it is {options.MemoryBytes}).");
        }

        if (!(options.MemoryOvercommit > 0))
        {
            failures.Add($"{Section}:MemoryOvercommit must be positive (it is {options.MemoryOvercommit}).");
        }

        if (options.CpuMillis is <= 0)
        {
            failures.Add($"{Section}:CpuMillis must be positive (it is {options.CpuMillis}).");
        }

        if (!(options.CpuOvercommit > 0))
        {
            failures.Add($"{Section}:CpuOvercommit must be positive (it is {options.CpuOvercommit}).");
        }

        if (options.Slots <= 0)
        {
            failures.Add($"{Section}:Slots must be positive (it is {options.Slots}).");
        }

        if (!CgroupParent().IsMatch(options.CgroupParent ?? string.Empty) || options.CgroupParent!.Contains("..", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:CgroupParent must be a relative cgroup path of letters, digits, '.', '_', '-' and '/' (it is \"{options.CgroupParent}\").");
        }

        if (options.RescanInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:RescanInterval must be positive (it is {options.RescanInterval}).");
        }

        if (options.StartTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:StartTimeout must be positive (it is {options.StartTimeout}).");
        }

        if (!System.Net.IPAddress.TryParse(options.ListenAddress ?? string.Empty, out _))
        {
            failures.Add($"{Section}:ListenAddress must be an IP address, such as 127.0.0.1 or this node's own address (it is \"{options.ListenAddress}\").");
        }

        if (options.NotifySocketPath is { } socket && !Path.IsPathFullyQualified(socket))
        {
            failures.Add($"{Section}:NotifySocketPath must be an absolute path (it is \"{socket}\").");
        }

        if (!string.IsNullOrWhiteSpace(options.RunDirectory) && Encoding.UTF8.GetByteCount(LocalBackend.ResolveNotifySocketPath(options)) > MaxSocketPathBytes)
        {
            failures.Add($"{Section}:NotifySocketPath {LocalBackend.ResolveNotifySocketPath(options)} is longer than a Unix socket path may be ({MaxSocketPathBytes} bytes); set a shorter one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    [GeneratedRegex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")]
    private static partial Regex CgroupParent();
}
