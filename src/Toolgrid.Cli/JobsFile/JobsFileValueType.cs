namespace Toolgrid.Cli.JobsFile;

/// <summary>What a <c>jobs.yaml</c> key takes.</summary>
internal enum JobsFileValueType
{
    /// <summary>Text (a plain number is read as its text: <c>umask: 022</c> is "022").</summary>
    Text,

    /// <summary>true or false (also yes/no/on/off, as PyYAML reads them for Toolforge).</summary>
    Boolean,

    /// <summary>A whole number.</summary>
    Number,

    /// <summary>A mapping of names to values (<c>env</c>).</summary>
    Variables,

    /// <summary>A port: a whole number, or Toolforge's <c>8080/tcp</c>.</summary>
    Port,

    /// <summary>Toolforge's <c>wait</c>: true (wait up to 600 s), false, or a number of seconds.</summary>
    Wait,
}
