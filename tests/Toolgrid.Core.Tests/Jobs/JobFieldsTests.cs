using System.Reflection;
using System.Text.Json;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class JobFieldsTests
{
    [Fact]
    public void All_HasEachWireNameOnce()
    {
        var names = typeof(JobFieldNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(names, JobFields.All.Select(f => f.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryField_IsAPropertyOfTheRequestAndTheView()
    {
        var codes = typeof(JobFieldNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);
        static IEnumerable<string> Wire(Type type) => type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

        // The kind is declared by `continuous` and `schedule`; the webservice command sets the web service's fields.
        Assert.Empty(codes.Except([JobFieldNames.Kind, JobFieldNames.Webservice, JobFieldNames.AllowDotPaths]).Except(Wire(typeof(JobRunRequest))));

        // The view shows output that is discarded as no output files; the web service's view shows its dot paths.
        Assert.Empty(codes.Except([JobFieldNames.Filelog, JobFieldNames.AllowDotPaths]).Except(Wire(typeof(JobView))));
    }

    [Fact]
    public void Apply_TakesEveryField_SoNothingDiffersAfter()
    {
        var job = Sample.Job();
        var next = Sample.Job();
        next.Kind = JobKind.Continuous;
        next.Command = "./serve";
        next.UsesPort = true;
        next.FixedPort = 8080;
        next.Environment = new(StringComparer.Ordinal) { ["A"] = "1" };
        next.Umask = 0b000_010_010;
        next.Webservice = WebserviceType.Generic;
        next.AllowDotPaths = true;

        JobDiff.Apply(job, next, Sample.Now);

        Assert.DoesNotContain(JobFields.All, f => f.Differs(job, next));
        Assert.Empty(JobDiff.Between(job, next));
    }
}
