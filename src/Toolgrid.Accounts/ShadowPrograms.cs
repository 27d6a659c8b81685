using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts;

/// <summary>
/// Runs the programs of the shadow suite (<c>groupadd</c>, <c>useradd</c>, <c>usermod</c>,
/// <c>gpasswd</c>) that change the user database, and <c>visudo</c> that checks the rules of
/// <c>become</c>: with argument lists, never a shell, each with a timeout.
/// </summary>
/// <remarks>
/// These programs lock the database files, so they are safe against each other and against
/// an administrator's own changes. Their failures become <see cref="ToolgridException"/>s of kind
/// <see cref="ErrorKind.Unavailable"/> that name the program, its exit code and its stderr.
/// </remarks>
internal sealed partial class ShadowPrograms
{
    private static readonly string[] SearchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    public ShadowPrograms(TimeProvider timeProvider, TimeSpan timeout, ILogger logger)
    {
        _timeProvider = timeProvider;
        _timeout = timeout;
        _logger = logger;
    }

    public Task AddGroupAsync(string group, int gid, CancellationToken cancellationToken) =>
        RunAsync("groupadd", ["--gid", Id(gid), group], cancellationToken);

    public Task AddUserAsync(string user, int uid, int gid, string home, string shell, string comment, CancellationToken cancellationToken) =>
        RunAsync(
            "useradd",
            [
                // Debian's useradd gives every new ordinary user subordinate uid and gid ranges
                // (/etc/subuid), which would let a tool map other ids in a user namespace.
                "-K", "SUB_UID_COUNT=0",
                "-K", "SUB_GID_COUNT=0",
                "--uid", Id(uid),
                "--gid", Id(gid),
                "--home-dir", home,
                "--no-create-home",
                "--shell", shell,
                "--comment", comment,
                user,
            ],
            cancellationToken);

    public Task AddToGroupAsync(string user, string group, CancellationToken cancellationToken) =>
        RunAsync("gpasswd", ["--add", user, group], cancellationToken);

    public Task RemoveFromGroupAsync(string user, string group, CancellationToken cancellationToken) =>
        RunAsync("gpasswd", ["--delete", user, group], cancellationToken);

    /// <summary>Removes a user from the user database; its home and files stay.</summary>
    public Task DeleteUserAsync(string user, CancellationToken cancellationToken) =>
        RunAsync("userdel", [user], cancellationToken);

    public Task DeleteGroupAsync(string group, CancellationToken cancellationToken) =>
        RunAsync("groupdel", [group], cancellationToken);

    /// <summary>Locks the password, expires the account and takes its shell away.</summary>
    public Task LockUserAsync(string user, string shell, CancellationToken cancellationToken) =>
        RunAsync("usermod", ["--lock", "--expiredate", "1", "--shell", shell, user], cancellationToken);

    /// <summary>Runs <paramref name="program"/> (a name looked up in the system directories, or a path) and waits for it.</summary>
    /// <returns>What it wrote to stdout.</returns>
    internal async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var outcome = await ExecuteAsync(program, arguments, cancellationToken);
        var errors = outcome.Stderr.Trim();
        if (outcome.ExitCode != 0)
        {
            Log.ProgramFailed(_logger, outcome.Command, outcome.ExitCode, errors);
            throw new ToolgridException(
                ErrorKind.Unavailable,
                "account-program-failed",
                $"'{outcome.Command}' failed with exit code {outcome.ExitCode}: {(errors.Length == 0 ? "(nothing on stderr)" : errors)}");
        }

        Log.ProgramRan(_logger, outcome.Command);
        return outcome.Stdout;
    }

    /// <summary>
    /// Runs <paramref name="program"/> (a name looked up in the system directories, or a path)
    /// and waits for it, whatever its exit code: for programs whose failure is an answer
    /// (<c>visudo -c</c>). Only a program that is missing, cannot be started or does not finish
    /// in time is an error.
    /// </summary>
    internal async Task<ProgramOutcome> ExecuteAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Resolve(program);
        var command = string.Join(' ', [program, .. arguments]);
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Messages in English, so that the errors read the same everywhere.
        start.Environment["LC_ALL"] = "C";

        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ToolgridException(ErrorKind.Unavailable, "account-program-failed", $"Could not start '{path}': {e.Message}.", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended by itself meanwhile.
            }

            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            Log.ProgramTimedOut(_logger, command, _timeout);
            throw new ToolgridException(
                ErrorKind.Unavailable,
                "account-program-timeout",
                $"'{command}' did not finish within {_timeout.TotalSeconds:0.#} s and was killed; the user database may be locked by another program.");
        }

        return new ProgramOutcome(command, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The path of <paramref name="program"/> in the system directories, or null when it is not installed.</summary>
    internal static string? Find(string program) =>
        SearchPath.Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);

    private static string Resolve(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        return Find(program) ?? throw new ToolgridException(
            ErrorKind.Unavailable,
            "account-program-missing",
            $"'{program}' was not found in {string.Join(", ", SearchPath)}; install the shadow suite (Debian: the 'passwd' package).");
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
