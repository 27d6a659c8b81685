using System.Data;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>What toolgridd does before it answers: its store is in the state directory, up to date, in WAL mode.</summary>
public sealed class ServerStartupTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [Fact]
    public async Task Starting_brings_the_store_in_the_state_directory_up_to_date_in_WAL_mode()
    {
        using var anonymous = factory.Anonymous();
        using var health = await anonymous.GetAsync("/healthz");

        await using var db = factory.Store();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        var journal = (string?)await command.ExecuteScalarAsync();

        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(factory.StateDirectory, "toolgrid.db")));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal("wal", journal);
        Assert.Equal(ConnectionState.Open, connection.State);
    }
}
