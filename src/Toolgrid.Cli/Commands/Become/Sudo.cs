using System.Diagnostics;
using Toolgrid.Cli.Native;

namespace Toolgrid.Cli.Commands.Become;

/// <summary>The host's sudo: found in the system directories, asked with <c>sudo -n -l</c>, and exec'd.</summary>
internal sealed class Sudo : ISudo
{
    // The system's own sudo, not whatever is first in $PATH.
    private static readonly string[] Paths = ["/usr/bin/sudo", "/bin/sudo", "/usr/local/bin/sudo"];

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    public string? Find() => Paths.FirstOrDefault(File.Exists);

    public async Task<SudoAnswer> CanRunAsAsync(string sudo, string unixUser, TimeProvider time, CancellationToken cancellationToken)
    {
        // 'sudo -l COMMAND' prints the command when the rules allow it and fails otherwise; -n
        // makes it fail rather than ask for a password. 'true' stands for any command: the
        // rule of 'become' allows all of them.
        var start = new ProcessStartInfo(sudo)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-n", "-l", "-u", unixUser, "true"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new CommandFailedException(ExitCodes.Unavailable, $"could not start {sudo}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(CheckTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CommandFailedException(ExitCodes.Unavailable, $"'{sudo} -n -l -u {unixUser} true' did not answer within {CheckTimeout.TotalSeconds:0} s.");
        }

        _ = await stdout;
        return new SudoAnswer(process.ExitCode == 0, (await stderr).Trim());
    }

    public int Exec(string sudo, IReadOnlyList<string> arguments) => ProcessImage.Replace(sudo, [sudo, .. arguments]);
}
