namespace Toolgrid.Backends.Slurm.Tests;

public sealed class SlurmConfTests
{
    [Fact]
    public void The_jobcomp_file_is_JobCompLoc_of_jobcomp_filetxt()
    {
        const string conf = """
            ClusterName=tg # a comment
            jobcomptype=jobcomp/filetxt
            SlurmdTimeout=10 JobCompLoc=/var/log/slurm/jobcomp.txt
            """;

        Assert.Equal("/var/log/slurm/jobcomp.txt", SlurmConf.JobCompFile(conf));
    }

    [Theory]
    [InlineData("JobCompType=jobcomp/none\nJobCompLoc=/var/log/slurm/jobcomp.txt")]
    [InlineData("JobCompType=jobcomp/elasticsearch\nJobCompLoc=http://localhost:9200")]
    [InlineData("JobCompType=jobcomp/filetxt\n#JobCompLoc=/var/log/slurm/jobcomp.txt")]
    [InlineData("JobCompType=jobcomp/filetxt\nJobCompLoc=jobcomp.txt")]
    [InlineData("")]
    public void Without_a_jobcomp_file_there_is_none(string conf) =>
        Assert.Null(SlurmConf.JobCompFile(conf));

    [Fact]
    public void The_options_name_the_jobcomp_file_of_their_slurm_conf()
    {
        var directory = Directory.CreateTempSubdirectory("tg-slurmconf-").FullName;
        try
        {
            var config = Path.Combine(directory, "slurm.conf");
            File.WriteAllText(config, "JobCompType=jobcomp/filetxt\nJobCompLoc=/run/slurm/jobcomp.txt\n");

            Assert.Equal("/run/slurm/jobcomp.txt", new SlurmBackendOptions { ConfigFile = config }.ToCluster().JobCompFile);
            Assert.Null(new SlurmBackendOptions { ConfigFile = Path.Combine(directory, "missing.conf") }.ToCluster().JobCompFile);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
