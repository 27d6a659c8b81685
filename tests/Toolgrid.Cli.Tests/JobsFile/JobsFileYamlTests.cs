using Toolgrid.Cli.JobsFile;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.JobsFile;

/// <summary>The YAML of a <c>jobs.yaml</c>: what it may use (anchors, merge keys, quoting) and how each mistake in it is told.</summary>
public sealed class JobsFileYamlTests
{
    [Fact]
    public void Read_SyntaxError_NamesLineAndColumnAndTheUsualFix()
    {
        var (_, problems) = Read("- name: a\n  command: ./a --mode: fast\n");

        var problem = Assert.Single(problems);
        Assert.Equal("jobs.yaml:2:22", problem.Field);
        Assert.StartsWith("YAML syntax error: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("must be quoted", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KeyGivenTwice_IsRefusedNamingItAndBothLines()
    {
        var (file, problems) = Read("- name: a\n  command: ./a\n  mem: 1Gi\n  mem: 2Gi\n");

        Assert.Empty(file.Entries);
        var problem = Assert.Single(problems);
        Assert.Equal("jobs.yaml:4:3", problem.Field);
        Assert.Contains("'mem'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("first on line 3", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuotedAndPlainSpellingsOfOneKey_AreTheSameKey()
    {
        var (_, problems) = Read("- name: a\n  \"command\": ./a\n  command: ./b\n");

        var problem = Assert.Single(problems);
        Assert.Equal("jobs.yaml:3:3", problem.Field);
        Assert.Contains("first on line 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownKey_IsNamedWithTheKeyItProbablyMeant()
    {
        var (_, problems) = Read("- name: a\n  command: ./a\n  memory: 1Gi\n");

        var problem = Assert.Single(problems);
        Assert.Equal("jobs.yaml:3: job 'a': memory", problem.Field);
        Assert.StartsWith("unknown key; did you mean 'mem'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ValueOfTheWrongKind_NamesTheKindGiven()
    {
        var (_, problems) = Read("- name: a\n  command: [./a, --all]\n  retry: '2'\n  continuous: {yes: no}\n  env: [A]\n");

        Assert.Equal(
            [
                ("jobs.yaml:2: job 'a': command", "takes a single value, not a list; write a command as one line of text, e.g. command: ./bot.py --all"),
                ("jobs.yaml:3: job 'a': retry", "'2' is not a whole number (write it without quotes)."),
                ("jobs.yaml:4: job 'a': continuous", "takes true or false, not a mapping."),
                ("jobs.yaml:5: job 'a': env", "takes a mapping of names to values (env:\\n    NAME: value), not a list."),
            ],
            problems.Select(p => (p.Field, p.Message)));
    }

    [Fact]
    public void Read_Scalars_KeepTheirTextAndQuotingDecidesTheirType()
    {
        var (file, problems) = Read("- name: a\n  command: ./a\n  umask: 022\n  mem: !!str 1Gi\n  env: {N: 1, T: 'true', E: ''}\n  continuous: false\n");

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        var request = Assert.Single(file.Entries).Request;
        Assert.Equal(("022", "1Gi", false), (request.Umask, request.Mem, request.Continuous));
        Assert.Equal(new Dictionary<string, string> { ["N"] = "1", ["T"] = "true", ["E"] = "" }, request.Environment);
    }

    [Fact]
    public void Read_AnchorsAndMergeKeys_ShareSettingsAndTheEntrysOwnKeysWin()
    {
        const string Text = """
            - &base
              name: a
              command: ./a
              mem: 1Gi
              env: &env {LANG: C}
            - <<: *base
              name: b
              mem: 2Gi
            - <<: [{name: c, cpu: '1'}, *base]
              env: *env
            """;

        var (file, problems) = Read(Text);

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        Assert.Equal(
            [("a", "./a", "1Gi", null), ("b", "./a", "2Gi", null), ("c", "./a", "1Gi", "1")],
            file.Entries.Select(e => (e.Request.Name, e.Request.Command, e.Request.Mem, e.Request.Cpu)));
        Assert.All(file.Entries, e => Assert.Equal("C", e.Request.Environment!["LANG"]));
    }

    [Theory]
    [InlineData("- name: a\n  command: ./a\n  <<: 3\n", "jobs.yaml:3:3", "'<<' merges a mapping (<<: *defaults) or a list of them; here it is given a value.")]
    [InlineData("- name: a\n  command: *cmd\n", "jobs.yaml:2:12", "there is no anchor &cmd before this alias *cmd.")]
    [InlineData("- name: a\n  command: ./a\n  [mem, cpu]: 1\n", "jobs.yaml:3:3", "a key must be a word, not a list.")]
    [InlineData("- name: a\n  command: ./a\n---\n- name: b\n  command: ./b\n", "jobs.yaml:3:1", "the file holds more than one YAML document ('---'); put every job in one list.")]
    public void Read_YamlThatIsNoListOfJobs_IsRefusedAtItsLineAndColumn(string text, string field, string message)
    {
        var (file, problems) = Read(text);

        Assert.Empty(file.Entries);
        Assert.Equal([(field, "YAML syntax error: " + message)], problems.Select(p => (p.Field, p.Message)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    public void Read_NoDocumentOrANullOne_HoldsNoJobs(string text)
    {
        var (_, problems) = Read(text);

        var problem = Assert.Single(problems);
        Assert.Equal("jobs.yaml", problem.Field);
        Assert.StartsWith("the file holds no jobs.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyList_HoldsNoEntriesAndNoProblem()
    {
        var (file, problems) = Read("[]\n");

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        Assert.Empty(file.Entries);
    }

    [Fact]
    public void Read_MappingAtTheTop_SaysAListIsExpected()
    {
        var (_, problems) = Read("name: a\ncommand: ./a\n");

        var problem = Assert.Single(problems);
        Assert.Equal("jobs.yaml", problem.Field);
        Assert.Equal("line 1: the file must be a list of jobs, each starting with '- name: …'; it holds a mapping.", problem.Message);
    }

    private static (JobsFileContent File, Problems Problems) Read(string text)
    {
        var problems = new Problems();
        var file = JobsFileReader.Read(new StringReader(text), "jobs.yaml", problems);
        return (file, problems);
    }
}
