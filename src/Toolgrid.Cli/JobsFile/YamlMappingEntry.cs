namespace Toolgrid.Cli.JobsFile;

/// <summary>One <c>key: value</c> of a <see cref="YamlMapping"/>.</summary>
internal sealed record YamlMappingEntry(YamlScalar Key, YamlNode Value);
