namespace Toolgrid.Notifications.Tests.Support;

/// <summary>Tests with a real SMTP server of their own (created, not started) in a directory that is removed after each test.</summary>
public abstract class SmtpTestBase : IAsyncLifetime
{
    protected string TestDirectory { get; } = NotifierHarness.NewDirectory();

    private protected SmtpServer Smtp { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Smtp = SmtpServer.Create(TestDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Smtp.DisposeAsync();
        try
        {
            Directory.Delete(TestDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
