namespace Toolgrid.Notifications.Tests;

public sealed class MailOptionsValidatorTests
{
    private static List<string> Failures(MailOptions options) =>
        new MailOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    private static MailOptions On() => new()
    {
        Host = "smtp.example.org",
        From = "Toolgrid <toolgrid@example.org>",
        AddressFormat = "{user}@example.org",
    };

    [Fact]
    public void Defaults_MailOff_AreValid() => Assert.Empty(Failures(new MailOptions()));

    [Fact]
    public void AHostAFromAndAnAddressFormat_AreEnough() => Assert.Empty(Failures(On()));

    [Fact]
    public void MailOn_WithoutFromOrAddressFormat_ReportsBothAtOnce()
    {
        var failures = Failures(new MailOptions { Host = "smtp.example.org" });

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Toolgrid:Mail:From is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Toolgrid:Mail:AddressFormat is required", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var options = On();
        options.Security = "ssl3";
        options.Port = 70000;
        options.UserName = "toolgrid";
        options.From = "not an address";
        options.AddressFormat = "example.org";
        options.Window = TimeSpan.Zero;
        options.MaxAttempts = 0;
        options.MaxRetryDelay = TimeSpan.FromSeconds(1);
        options.TimeZone = "Mars/Olympus";
        options.ExcerptBytes = 1_000_000;

        var failures = Failures(options);

        Assert.Equal(10, failures.Count);
        Assert.Contains(failures, f => f.Contains("Security is \"ssl3\"; use none, starttls or tls", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Port must be between 1 and 65535", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("UserName and Toolgrid:Mail:Password go together", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("From \"not an address\" is not a mail address", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("AddressFormat \"example.org\" has no {user}", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Window must be positive", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxAttempts must be between 1 and 1000", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxRetryDelay", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("TimeZone \"Mars/Olympus\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ExcerptBytes must be between 0 and 7168", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("none", null, 25)]
    [InlineData("starttls", null, 587)]
    [InlineData("STARTTLS", null, 587)]
    [InlineData("tls", null, 465)]
    [InlineData("tls", 10465, 10465)]
    public void Security_ChoosesTheUsualPort(string security, int? port, int effective)
    {
        var options = On();
        options.Security = security;
        options.Port = port;

        Assert.Empty(Failures(options));
        Assert.Equal(effective, options.EffectivePort);
    }

    [Theory]
    [InlineData("starttls", 465, "Port 465 speaks TLS from the first byte")]
    [InlineData("tls", 587, "Port 587 speaks plain SMTP first")]
    [InlineData("tls", 25, "Port 25 speaks plain SMTP first")]
    public void Security_ThatDoesNotMatchAWellKnownPort_IsRefused(string security, int port, string failure)
    {
        var options = On();
        options.Security = security;
        options.Port = port;

        Assert.Contains(failure, Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void ALoginWithoutTls_ToAnotherHost_IsRefused()
    {
        var options = On();
        options.UserName = "toolgrid";
        options.Password = "secret";

        Assert.Contains("clear text", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost", "none")]
    [InlineData("127.0.0.1", "none")]
    [InlineData("smtp.example.org", "starttls")]
    [InlineData("smtp.example.org", "tls")]
    public void ALogin_OverTlsOrToThisHost_IsAccepted(string host, string security)
    {
        var options = On();
        options.Host = host;
        options.Security = security;
        options.UserName = "toolgrid";
        options.Password = "secret";

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void AnAddressFormatThatMakesNoAddress_IsRefused()
    {
        var options = On();
        options.AddressFormat = "{user} at example.org";

        Assert.Contains("does not make a mail address", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }
}
