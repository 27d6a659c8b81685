using Microsoft.Extensions.Options;
using Toolgrid.Backends.Local;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Store;

namespace Toolgrid.Server.Hosting;

/// <summary>Warns in <c>toolgrid status</c> when a file system toolgridd must write to (the store, the run files) is full or nearly so.</summary>
/// <remarks>Measured at each call (statvfs), so the warning lasts exactly as long as the shortage.</remarks>
internal sealed class StateDiskSpace(ServerPaths paths, IOptions<StoreOptions> store, IServiceProvider services) : IWarningSource
{
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var places = new List<(string What, string Directory)> { ("the state directory", paths.StateDirectory) };
            if (Path.GetDirectoryName(store.Value.Path ?? paths.StorePath) is { Length: > 0 } storeDirectory)
            {
                places.Add(("the store", storeDirectory));
            }

            if (services.GetService<IOptions<LocalBackendOptions>>()?.Value.RunDirectory is { Length: > 0 } runs)
            {
                places.Add(("the run files", runs));
            }

            var warnings = new List<string>();
            var checkedDirectories = new List<string>();
            foreach (var (what, directory) in places)
            {
                // One warning per place: a directory inside one checked already shares its disk (most likely).
                var full = Path.GetFullPath(directory);
                if (checkedDirectories.Any(d => full == d || full.StartsWith(d + "/", StringComparison.Ordinal)))
                {
                    continue;
                }

                checkedDirectories.Add(full);
                if (Measure(full) is { } space && DiskSpace.Warning(what, full, space.Available, space.Size) is { } warning)
                {
                    warnings.Add(warning);
                }
            }

            return warnings;
        }
    }

    private static (long Available, long Size)? Measure(string directory)
    {
        try
        {
            var drive = new DriveInfo(directory);
            return (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
