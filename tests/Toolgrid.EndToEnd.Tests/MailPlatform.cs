using System.Globalization;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A <see cref="Platform"/> whose toolgridd mails through a <see cref="MailServer"/>, with a short
/// gathering window and quick retries so that the tests take seconds, not the minutes of the
/// production settings.
/// </summary>
public sealed class MailPlatform : IAsyncLifetime
{
    /// <summary>How long toolgridd gathers a tool's notices before it mails them.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    /// <summary>The longest wait between two attempts to send a mail.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Attempts before a mail fails for good: enough that a mail is still being retried however
    /// long a busy machine keeps the test from starting the mail server again.
    /// </summary>
    public const int MaxAttempts = 1000;

    public const string Domain = "example.test";

    public Platform Platform { get; } = new();

    public MailServer Smtp { get; private set; } = null!;

    /// <summary>A person's address, as toolgridd is configured to make it.</summary>
    public static string AddressOf(string person) => Platform.Person(person) + "@" + Domain;

    public async Task InitializeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        // The Maildir lives in the platform's directory (made at its start, removed with it).
        Smtp = new MailServer(Path.Combine(Platform.Root, "maildir"));
        Platform.ExtraArguments.AddRange(
        [
            "--Toolgrid:Mail:Host=127.0.0.1",
            $"--Toolgrid:Mail:Port={Smtp.Port.ToString(CultureInfo.InvariantCulture)}",
            "--Toolgrid:Mail:Security=none",
            $"--Toolgrid:Mail:From=toolgrid@{Domain}",
            $"--Toolgrid:Mail:AddressFormat={{user}}@{Domain}",
            $"--Toolgrid:Mail:Window={Window.ToString("c", CultureInfo.InvariantCulture)}",
            "--Toolgrid:Mail:PollInterval=00:00:00.250",
            "--Toolgrid:Mail:FirstRetryDelay=00:00:01",
            $"--Toolgrid:Mail:MaxRetryDelay={MaxRetryDelay.ToString("c", CultureInfo.InvariantCulture)}",
            $"--Toolgrid:Mail:MaxAttempts={MaxAttempts.ToString(CultureInfo.InvariantCulture)}",
            "--Toolgrid:Mail:Timeout=00:00:10",
        ]);
        await Platform.InitializeAsync();
        await Smtp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        try
        {
            await Smtp.StopAsync();
        }
        finally
        {
            await Platform.DisposeAsync();
        }
    }
}
