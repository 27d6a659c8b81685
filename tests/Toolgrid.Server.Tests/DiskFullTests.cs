using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// The store's disk full (the state directory on a small tmpfs, filled up): a write is answered
/// 503 with the cause and records nothing, never a bare 500; reads go on, <c>toolgrid status</c>
/// warns; once space is freed, writes are answered as before and the warning is gone.
/// </summary>
public sealed class DiskFullTests(DiskFullTests.SmallStateDiskFactory factory) : IClassFixture<DiskFullTests.SmallStateDiskFactory>
{
    [RootApiFact]
    public async Task A_write_to_a_full_store_answers_503_naming_its_disk_records_nothing_and_status_warns_until_space_is_freed()
    {
        using var root = factory.As(People.Root);
        Assert.DoesNotContain((await root.GetJsonAsync<StatusView>("/api/v1/status")).Warnings, IsDiskWarning);

        factory.Fill();
        using var refused = await root.PostJsonAsync("/api/v1/tools", new { name = "disk-full-refused" });
        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable, "store-disk-full");
        var whileFull = await root.GetJsonAsync<StatusView>("/api/v1/status");
        factory.Free();
        using var accepted = await root.PostJsonAsync("/api/v1/tools", new { name = "disk-full-accepted" });
        var afterwards = await root.GetJsonAsync<StatusView>("/api/v1/status");

        Assert.Equal(
            $"the store's disk is full ({Path.Combine(factory.StateDirectory, "toolgrid.db")}): nothing was recorded. Ask an operator to free space on that file system, then try again.",
            problem.Detail);
        var warning = Assert.Single(whileFull.Warnings, IsDiskWarning);
        Assert.StartsWith($"the disk of the state directory ({factory.StateDirectory}) is full, ", warning, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.DoesNotContain(afterwards.Warnings, IsDiskWarning);
        using var lookup = await root.GetAsync("/api/v1/tools/disk-full-refused");
        await lookup.ProblemAsync(HttpStatusCode.NotFound, "tool-not-found");
    }

    private static bool IsDiskWarning(string warning) => warning.StartsWith("the disk of ", StringComparison.Ordinal);

    /// <summary>The API server with its state directory on a tmpfs of 16 MiB, which a test fills and frees.</summary>
    public sealed class SmallStateDiskFactory : ToolgridApiFactory
    {
        private string Filler => Path.Combine(StateDirectory, "filler");

        public SmallStateDiskFactory()
        {
            if (RootApiFactAttribute.IsRoot)
            {
                Directory.CreateDirectory(StateDirectory);
                Run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", StateDirectory);
            }
        }

        /// <summary>
        /// Fills the disk. The store's write-ahead log is emptied first (a checkpoint that truncates
        /// it): a log with room left would take a few more writes before the disk shows.
        /// </summary>
        public void Fill()
        {
            using (var db = Store())
            {
                db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE)");
            }

            try
            {
                using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write);
                var block = new byte[64 * 1024];
                while (true)
                {
                    file.Write(block);
                    file.Flush();
                }
            }
            catch (IOException)
            {
                // Full.
            }
        }

        public void Free() => File.Delete(Filler);

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();

            // The store's pooled connections keep its files open, and the mount busy.
            SqliteConnection.ClearAllPools();
            if (RootApiFactAttribute.IsRoot && Directory.Exists(StateDirectory))
            {
                Run("umount", StateDirectory);
                Directory.Delete(Root, recursive: true);
            }
        }

        private static void Run(string program, params string[] arguments)
        {
            using var process = System.Diagnostics.Process.Start(program, arguments);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
            }
        }
    }
}
