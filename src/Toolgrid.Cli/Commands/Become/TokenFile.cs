using System.Text;

namespace Toolgrid.Cli.Commands.Become;

/// <summary>
/// The API token a tool's runs find in <c>~/.toolgrid/token</c>, where toolgridd puts it when
/// the tool is created, so that a bot or a web service can use the API over http(s) as its tool.
/// </summary>
/// <remarks>
/// Read only when the API is reached over http(s) and <c>TOOLGRID_TOKEN</c> is not set (the Unix
/// socket needs no token). Like ssh with a private key, a file that others may read or change
/// is refused rather than used: a token is as good as the tool's identity.
/// </remarks>
internal static class TokenFile
{
    /// <summary>Permissions that make a token file no longer the tool's alone.</summary>
    public const UnixFileMode SharedBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    // A token is a line; anything much longer is not one.
    private const int MaxLength = 64 * 1024;

    /// <summary><c>$HOME/.toolgrid/token</c>, or null without a home.</summary>
    public static string? PathFor(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Variable("HOME") is { } home ? Path.Combine(home, ".toolgrid", "token") : null;
    }

    /// <summary>The token in the file; null when there is no file. Refuses a file that others may read or change, or that holds no token.</summary>
    public static string? Read(CliEnvironment environment)
    {
        if (PathFor(environment) is not { } path)
        {
            return null;
        }

        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.NoPermission, $"could not read the token in {path}: {e.Message}");
        }

        using (handle)
        {
            // The mode of the file opened, not of the path: nothing can change in between.
            var mode = File.GetUnixFileMode(handle);
            if ((mode & SharedBits) != 0)
            {
                throw new CommandFailedException(
                    ExitCodes.NoPermission,
                    $"{path} can be read or changed by others (mode {Convert.ToString((int)mode, 8)}), so it is not used: a token must be yours alone. Run 'chmod 600 {path}' (or set TOOLGRID_TOKEN instead).");
            }

            var length = RandomAccess.GetLength(handle);
            var bytes = new byte[Math.Min(length, MaxLength + 1)];
            var read = 0;
            int got;
            while (read < bytes.Length && (got = RandomAccess.Read(handle, bytes.AsSpan(read), read)) > 0)
            {
                read += got;
            }

            var token = read > MaxLength ? "" : Encoding.UTF8.GetString(bytes, 0, read).Trim();
            return token.Length > 0 && !token.Any(char.IsWhiteSpace)
                ? token
                : throw new CommandFailedException(ExitCodes.NoPermission, $"{path} holds no token (it should hold one line, as toolgridd writes it); set TOOLGRID_TOKEN instead, or ask a maintainer to put the tool's token there.");
        }
    }
}
