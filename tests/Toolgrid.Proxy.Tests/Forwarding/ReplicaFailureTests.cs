using Toolgrid.Proxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Toolgrid.Proxy.Tests.Forwarding;

public sealed class ReplicaFailureTests
{
    private static readonly HttpRequestException Reset = new(HttpRequestError.ResponseEnded, "The response ended prematurely.");
    private static readonly HttpRequestException Refused = new(HttpRequestError.ConnectionError, "Connection refused");

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("PUT", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void AnswerBrokenOffWithinItsBody_IsSentAgain_OnlyWhenSendingTwiceIsSafe(string method, bool expected) =>
        Assert.Equal(expected, ReplicaFailure.MaySendAgain(ForwarderError.ResponseBodyDestination, Reset, method));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("POST", false)]
    public void RequestThatReachedTheReplica_IsSentAgain_OnlyWhenSendingTwiceIsSafe(string method, bool expected) =>
        Assert.Equal(expected, ReplicaFailure.MaySendAgain(ForwarderError.Request, Reset, method));

    [Fact]
    public void RequestThatNeverReachedTheReplica_IsSentAgain_WhateverItsMethod() =>
        Assert.True(ReplicaFailure.MaySendAgain(ForwarderError.Request, Refused, "POST"));

    [Fact]
    public void RequestToANodeWhoseNameDoesNotResolve_NeverReachedIt_AndIsSentAgain_WhateverItsMethod() =>
        Assert.True(ReplicaFailure.MaySendAgain(ForwarderError.Request, new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (no-such-node.invalid:31999)"), "POST"));

    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyClient)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    [InlineData(ForwarderError.NoAvailableDestinations)]
    public void FailuresOfTheClientOrOfNoReplica_AreNotSentAgain(ForwarderError error) =>
        Assert.False(ReplicaFailure.MaySendAgain(error, null, "GET"));
}
