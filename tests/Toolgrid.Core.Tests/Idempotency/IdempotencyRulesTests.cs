using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Idempotency;

namespace Toolgrid.Core.Tests.Idempotency;

public sealed class IdempotencyRulesTests
{
    private const string Hash = "aaaa";

    private static IdempotentRequest Record(TimeSpan age, int? status = 201, string hash = Hash) => new()
    {
        Caller = "alice",
        Key = "k1",
        RequestHash = hash,
        Request = "POST /api/v1/tools/t/jobs",
        CreatedAt = Sample.Now - age,
        Status = status,
    };

    [Fact]
    public void ANewKey_IsAnswered() => Assert.Equal(IdempotencyDecision.Answer, IdempotencyRules.Decide(null, Hash, Sample.Now));

    [Fact]
    public void TheSameRequestAnswered_IsReplayed() =>
        Assert.Equal(IdempotencyDecision.Replay, IdempotencyRules.Decide(Record(TimeSpan.FromHours(23)), Hash, Sample.Now));

    [Fact]
    public void AnotherRequestWithTheKey_IsRefused() =>
        Assert.Equal(IdempotencyDecision.KeyReused, IdempotencyRules.Decide(Record(TimeSpan.FromMinutes(1), hash: "bbbb"), Hash, Sample.Now));

    [Fact]
    public void TheSameRequestBeingAnswered_IsInProgress_UntilItsLeaseRunsOut()
    {
        Assert.Equal(IdempotencyDecision.InProgress, IdempotencyRules.Decide(Record(IdempotencyRules.AnswerLease - TimeSpan.FromSeconds(1), status: null), Hash, Sample.Now));
        Assert.Equal(IdempotencyDecision.TakeOver, IdempotencyRules.Decide(Record(IdempotencyRules.AnswerLease, status: null), Hash, Sample.Now));
    }

    [Fact]
    public void AKeyADayOld_CountsForNothing()
    {
        Assert.Equal(IdempotencyDecision.Answer, IdempotencyRules.Decide(Record(TimeSpan.FromHours(24)), Hash, Sample.Now));
        Assert.Equal(IdempotencyDecision.Answer, IdempotencyRules.Decide(Record(TimeSpan.FromHours(24), hash: "bbbb"), Hash, Sample.Now));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(400, true)]
    [InlineData(409, true)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void AnswersBelow500_AreKept(int status, bool kept) => Assert.Equal(kept, IdempotencyRules.Keeps(status));

    [Theory]
    [InlineData("8f14e45f-ceea-467f-a7a4-2b1d6c1d2f0a", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("é", false)]
    public void AKey_IsVisibleAscii(string key, bool valid)
    {
        var problems = new Problems();

        IdempotencyRules.Validate(key, problems);

        Assert.Equal(valid, problems.IsEmpty);
    }

    [Fact]
    public void AKey_IsAtMost255Characters()
    {
        var problems = new Problems();

        IdempotencyRules.Validate(new string('k', 256), problems);

        Assert.Equal("Idempotency-Key", Assert.Single(problems).Field);
    }
}
