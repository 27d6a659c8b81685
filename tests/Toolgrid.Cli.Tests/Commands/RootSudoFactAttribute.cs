namespace Toolgrid.Cli.Tests.Commands;

/// <summary>A test that runs the real sudo as root: skipped elsewhere, saying why.</summary>
public sealed class RootSudoFactAttribute : FactAttribute
{
    public RootSudoFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root: 'toolgrid become' as root exec's the real sudo (run the tests as root, as CI does).";
        }
        else if (!File.Exists("/usr/bin/sudo"))
        {
            Skip = "needs sudo (apt-get install sudo; test.sh installs it).";
        }
    }
}
