using System.Text.Json;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.RequestIdFrames;

namespace Parley.Server.Tests.Direct;

/// <summary>
/// (ext) <c>requestId</c> on <c>/messagepal</c>: at the envelope's top level beside <c>type</c>, copied onto the frames
/// that answer the request, on the asking socket only. The send bucket never refills here.
/// </summary>
public sealed class DirectRequestIdTests(NoRefillSendServer shared) : IClassFixture<NoRefillSendServer>
{
    private readonly ParleyTestServer _server = shared.Server;

    [Fact]
    public async Task OnlyTheSendingSocketsMessageReceivedCarriesTheRequestIdAndARetryGetsTheNewOne()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var anaOtherTab = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);

        await anaSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "hi", clientMsgId = "c-1", requestId = "send-1" });
        var echo = await anaSocket.WaitForAsync("message_received");
        var tab = await anaOtherTab.WaitForAsync("message_received");
        var received = await benSocket.WaitForAsync("message_received");
        Assert.Equal("send-1", RequestIdOf(echo));
        Assert.False(echo.Payload().TryGetProperty("requestId", out _));
        Assert.Null(RequestIdOf(tab));
        Assert.Null(RequestIdOf(received));
        Assert.Equal(received.GetRawText(), tab.GetRawText());
        Assert.Equal(received.Payload().GetRawText(), echo.Payload().GetRawText());

        await anaSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "hi", clientMsgId = "c-1", requestId = "send-2" });
        var again = await anaSocket.WaitForAsync("message_received");
        Assert.Equal("send-2", RequestIdOf(again));
        Assert.Equal(echo.Payload().GetProperty("id").GetString(), again.Payload().GetProperty("id").GetString());

        // After the retry, the next message is the next thing the other sockets hear: the retry told them nothing.
        var next = await benSocket.SendDmAsync(ana.UserId, "after");
        await anaOtherTab.WaitForAsync("message_received", f => f.Payload().GetProperty("content").GetString() == "after");
        Assert.Equal(2, anaOtherTab.Snapshot().Count(f => f.GetProperty("type").GetString() == "message_received"));
        Assert.Equal(2, benSocket.Snapshot().Count(f => f.GetProperty("type").GetString() == "message_received"));
        Assert.Equal("after", next.GetProperty("content").GetString());
    }

    [Fact]
    public async Task HistorySubscriptionsAndErrorsCarryTheRequestId()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var anaOtherTab = await DirectSockets.ConnectAsync(_server, ana);
        var conversation = DirectSockets.Conversation(ana.UserId, ben.UserId);

        await anaSocket.SendAsync(new { type = "fetch_history", conversationId = conversation, requestId = "h-1" });
        Assert.Equal("h-1", RequestIdOf(await anaSocket.WaitForAsync("history_response")));
        await anaSocket.SendAsync(new { type = "subscribe", conversationId = conversation, requestId = "s-1" });
        Assert.Equal("s-1", RequestIdOf(await anaSocket.WaitForAsync("subscribed")));
        await anaSocket.SendAsync(new { type = "unsubscribe", conversationId = conversation, requestId = "u-1" });
        Assert.Equal("u-1", RequestIdOf(await anaSocket.WaitForAsync("unsubscribed")));

        await anaSocket.SendAsync(new { type = "fetch_history", conversationId = "conv_999998_999999", requestId = "h-2" });
        var notFound = await anaSocket.WaitForAsync("error");
        Assert.Equal("Conversation not found", notFound.GetProperty("message").GetString());
        Assert.Equal("h-2", RequestIdOf(notFound));
        await anaSocket.SendAsync(new { type = "dance", requestId = "d-1" });
        var unknown = await anaSocket.WaitForAsync("error");
        Assert.Equal("unknown_type", unknown.GetProperty("code").GetString());
        Assert.Equal("d-1", RequestIdOf(unknown));
        await anaSocket.SendAsync(new { requestId = "no-type" });
        var untyped = await anaSocket.WaitForAsync("error");
        Assert.Equal("Invalid message format", untyped.GetProperty("message").GetString());
        Assert.Equal("bad_request", untyped.GetProperty("code").GetString());
        Assert.Equal("no-type", RequestIdOf(untyped));
        await anaSocket.SendAsync(new { type = "typing", recipientId = 999999999, requestId = "t-1" });
        var noRecipient = await anaSocket.WaitForAsync("error");
        Assert.Equal("Recipient not found", noRecipient.GetProperty("message").GetString());
        Assert.Equal("t-1", RequestIdOf(noRecipient));

        // The other tab heard none of it.
        await using var marker = await DirectSockets.ConnectAsync(_server, ben);
        await marker.SendDmAsync(ana.UserId, "marker");
        await anaOtherTab.WaitForAsync("message_received");
        Assert.All(anaOtherTab.Snapshot(), f => Assert.Null(RequestIdOf(f)));
        Assert.DoesNotContain(anaOtherTab.Snapshot(), f => f.GetProperty("type").GetString() is "error" or "history_response" or "subscribed");
    }

    [Fact]
    public async Task PipelinedSendsGetTheirEchoesInOrderAndTheRefusedOneItsError()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);

        for (var i = 1; i <= 6; i++)
        {
            await anaSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = $"m{i}", requestId = $"r{i}" });
        }

        // The refusal and the echoes come from different paths (the echo through the DM delivery queue), so only the
        // echoes are ordered among themselves.
        await anaSocket.WaitUntilAsync(frames => frames.Count(IsEchoOrError) == 6);
        var refused = Assert.Single(anaSocket.Snapshot(), f => f.GetProperty("type").GetString() == "error");
        Assert.Equal("rate_limited", refused.GetProperty("code").GetString());
        Assert.Equal("r6", RequestIdOf(refused));
        await benSocket.WaitForAsync("message_received", f => f.Payload().GetProperty("content").GetString() == "m5");
        var echoes = anaSocket.Snapshot().Where(f => f.GetProperty("type").GetString() == "message_received").ToList();
        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], echoes.Select(RequestIdOf));
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], echoes.Select(f => f.Payload().GetProperty("content").GetString()));
        Assert.All(benSocket.Snapshot(), f => Assert.Null(RequestIdOf(f)));
    }

    private static bool IsEchoOrError(JsonElement frame) => frame.GetProperty("type").GetString() is "message_received" or "error";

    [Theory]
    [InlineData("7")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("{\"id\":\"a\"}")]
    [InlineData("LONG")]
    public async Task AnInvalidRequestIdIsABadRequestAndTheFrameIsNotHandled(string requestId)
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        var value = requestId == "LONG" ? $"\"{new string('x', 65)}\"" : requestId;

        await anaSocket.SendRawAsync($$"""{"type":"send_message","recipientId":{{ben.UserId}},"content":"x","requestId":{{value}}}""");
        var error = await anaSocket.WaitForAsync("error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal("requestId must be a string of 1 to 64 characters.", error.GetProperty("message").GetString());
        Assert.Null(RequestIdOf(error));

        await anaSocket.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId), requestId = new string('y', 64) });
        var history = await anaSocket.WaitForAsync("history_response");
        Assert.Equal(new string('y', 64), RequestIdOf(history));
        Assert.Equal(0, history.Payload().GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task ARequestIdInsideThePayloadOrOnAnUnparseableFrameIsNotCopied()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);

        await anaSocket.SendRawAsync("""{"type":"fetch_history","requestId":"r-1",""");
        var invalid = await anaSocket.WaitForAsync("error");
        Assert.Equal("invalid_json", invalid.GetProperty("code").GetString());
        Assert.Null(RequestIdOf(invalid));

        await anaSocket.SendAsync(new { type = "subscribe", payload = new { requestId = "inside" } });
        var error = await anaSocket.WaitForAsync("error");
        Assert.Equal("conversationId is required", error.GetProperty("message").GetString());
        Assert.Null(RequestIdOf(error));
    }
}
