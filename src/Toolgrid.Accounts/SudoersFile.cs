using System.Text;
using Toolgrid.Core.Errors;
using Toolgrid.Native;

namespace Toolgrid.Accounts;

/// <summary>A sudoers drop-in that Toolgrid writes whole: checked with <c>visudo</c> before it replaces the old one.</summary>
/// <remarks>
/// <para>
/// sudo reads every file of <c>/etc/sudoers.d</c> whose name has no '.', and a file it cannot
/// parse can leave people unable to use sudo at all. So the new text goes to a file whose name
/// starts with '.' (which sudo skips, should a crash leave it behind) beside the old one, made
/// with <c>O_EXCL</c> and mode 0440 as sudo wants; <c>visudo -c -f</c> must accept it; only then
/// is it renamed over the old one, in one step. When visudo refuses, the old file stays as it
/// was and the error says what visudo said.
/// </para>
/// <para>Writing the same text again changes nothing on disk.</para>
/// </remarks>
internal sealed class SudoersFile
{
    /// <summary>r--r-----, as sudo wants its files.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead;

    private readonly ShadowPrograms _programs;

    public SudoersFile(string path, ShadowPrograms programs)
    {
        Path = path;
        _programs = programs;
    }

    public string Path { get; }

    /// <summary>The file's text, or null when there is no file.</summary>
    public string? Read()
    {
        try
        {
            return File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed("read", e.Message, e);
        }
    }

    /// <summary>Makes the file hold <paramref name="text"/>, once <paramref name="visudo"/> has accepted it.</summary>
    /// <returns>False when it held that text (with sudo's mode) already, so nothing was written.</returns>
    public async Task<bool> ReplaceAsync(string text, string visudo, CancellationToken cancellationToken)
    {
        if (Read() == text && File.GetUnixFileMode(Path) == Mode)
        {
            return false;
        }

        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Mode };
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            // The mode given at creation is reduced by the umask; sudo wants exactly 0440.
            File.SetUnixFileMode(temporary, Mode);
            var check = await _programs.ExecuteAsync(visudo, ["-c", "-f", temporary], cancellationToken);
            if (check.ExitCode != 0)
            {
                var said = (check.Stderr + check.Stdout).Replace(temporary, "(new text)", StringComparison.Ordinal).Trim();
                throw new ToolgridException(
                    ErrorKind.Unavailable,
                    "become-rules-invalid",
                    $"visudo refused the new rules for 'toolgrid become', so {Path} was left as it was: {(said.Length == 0 ? $"exit code {check.ExitCode}" : said)}");
            }

            File.Move(temporary, Path, overwrite: true);
            SyncDirectory(directory);
            return true;
        }
        catch (DirectoryNotFoundException e)
        {
            throw Failed("write", $"{directory} does not exist (sudo makes it when installed; with another directory, /etc/sudoers must include it with @includedir)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed("write", e.Message, e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    // The rename outlives a crash only once the directory is on disk.
    private static void SyncDirectory(string directory)
    {
        var fd = LibC.Open(directory, LibC.OpenDirectory);
        if (fd >= 0)
        {
            _ = LibC.FSync(fd);
            _ = LibC.Close(fd);
        }
    }

    private ToolgridException Failed(string what, string why, Exception inner) =>
        new(ErrorKind.Unavailable, "become-rules-failed", $"Could not {what} the rules for 'toolgrid become' in {Path}: {why}", inner);
}
