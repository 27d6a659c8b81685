namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// The grid-era wrappers, installed as links to the <c>toolgrid</c> binary and told apart by the
/// name they are called by (argv[0]): <c>jsub</c>, <c>jstart</c>, <c>qcronsub</c>, <c>jstop</c>, <c>job</c>,
/// and Grid Engine's <c>qstat</c> and <c>qdel</c>.
/// </summary>
internal static class WrapperPrograms
{
    public static readonly IReadOnlyList<string> Names = ["jsub", "jstart", "qcronsub", "jstop", "job", "qstat", "qdel"];

    /// <summary>Runs the wrapper called <paramref name="program"/>; null when it names none (it is <c>toolgrid</c> itself).</summary>
    public static Task<int>? TryRun(string program, IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken) => program switch
    {
        "jsub" => SubmitWrapper.RunAsync(WrapperProgram.Jsub, args, environment, cancellationToken),
        "jstart" => SubmitWrapper.RunAsync(WrapperProgram.Jstart, args, environment, cancellationToken),
        "qcronsub" => SubmitWrapper.RunAsync(WrapperProgram.Qcronsub, args, environment, cancellationToken),
        "jstop" => JstopWrapper.RunAsync(args, environment, cancellationToken),
        "job" => JobWrapper.RunAsync(args, environment, cancellationToken),
        "qstat" => QstatWrapper.RunAsync(args, environment, cancellationToken),
        "qdel" => QdelWrapper.RunAsync(args, environment, cancellationToken),
        _ => null,
    };

    /// <summary>
    /// The name the process was started by: argv[0] as the kernel keeps it in /proc/self/cmdline,
    /// which is the link's name (<c>jsub</c>) even when the runtime reports the binary it resolves to.
    /// </summary>
    public static string InvokedAs()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            var first = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            if (first.Length > 0)
            {
                return Path.GetFileName(first);
            }
        }
        catch (IOException)
        {
            // No /proc: the runtime's view below.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Path.GetFileName(Environment.GetCommandLineArgs()[0]);
    }
}
