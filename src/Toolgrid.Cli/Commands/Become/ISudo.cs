namespace Toolgrid.Cli.Commands.Become;

/// <summary>What <c>toolgrid become</c> needs of sudo on this host. Tests give their own.</summary>
internal interface ISudo
{
    /// <summary>sudo's path, or null when it is not installed.</summary>
    string? Find();

    /// <summary>Asks sudo, without a password and without running anything, whether the caller may run commands as <paramref name="unixUser"/>.</summary>
    Task<SudoAnswer> CanRunAsAsync(string sudo, string unixUser, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>Replaces this process with sudo and <paramref name="arguments"/>: returns only when that failed, with the errno.</summary>
    int Exec(string sudo, IReadOnlyList<string> arguments);
}
