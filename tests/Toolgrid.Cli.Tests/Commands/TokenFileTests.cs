using Toolgrid.Cli.Commands.Become;

namespace Toolgrid.Cli.Tests.Commands;

/// <summary><see cref="TokenFile"/>: a tool's token in <c>~/.toolgrid/token</c>, used only when it is the tool's alone.</summary>
public sealed class TokenFileTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("tgcli-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Read_WithoutAFile_IsNull()
    {
        Assert.Null(TokenFile.Read(Environment()));
        Assert.Null(TokenFile.Read(Environment(home: null)));
    }

    [Fact]
    public void Read_AFileOfTheToolAlone_GivesTheToken()
    {
        Write("tg_secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal("tg_secret", TokenFile.Read(Environment()));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead, "440")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "604")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupWrite, "420")]
    public void Read_AFileOthersMayReadOrChange_IsRefused(UnixFileMode mode, string octal)
    {
        var path = Write("tg_secret\n", mode);

        var e = Assert.Throws<CommandFailedException>(() => TokenFile.Read(Environment()));

        Assert.Equal(ExitCodes.NoPermission, e.ExitCode);
        Assert.Equal(
            $"{path} can be read or changed by others (mode {octal}), so it is not used: a token must be yours alone. Run 'chmod 600 {path}' (or set TOOLGRID_TOKEN instead).",
            e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("two words\n")]
    public void Read_AFileWithoutAToken_IsRefused(string content)
    {
        Write(content, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var e = Assert.Throws<CommandFailedException>(() => TokenFile.Read(Environment()));

        Assert.Contains("holds no token", e.Message, StringComparison.Ordinal);
    }

    private string Write(string content, UnixFileMode mode)
    {
        var directory = Path.Combine(_home, ".toolgrid");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "token");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private CliEnvironment Environment(string? home = "") => new()
    {
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        Variables = name => name == "HOME" ? (home == "" ? _home : home) : null,
    };
}
