namespace Toolgrid.Contracts.Runs;

/// <summary>Names of the Linux signals a run may die of.</summary>
public static class Signals
{
    public const int Term = 15;
    public const int Kill = 9;

    public static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        25 => "SIGXFSZ",
        _ => $"signal {signal}",
    };
}
