using System.Text.Json;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.RequestIdFrames;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// (ext) <c>requestId</c> on <c>/ws/chat</c>: copied onto the frames that answer a request, on the asking socket only.
/// The send bucket never refills here, so a test that empties it is refused however long it takes.
/// </summary>
public sealed class ChatSocketRequestIdTests(NoRefillSendServer shared) : IClassFixture<NoRefillSendServer>
{
    private const string InvalidRequestId = "requestId must be a string of 1 to 64 characters.";
    private readonly ParleyTestServer _server = shared.Server;

    private static string TypeOf(JsonElement frame) => frame.GetProperty("type").GetString()!;

    private async Task<TestSocket> ConnectAsync(ApiClient user)
    {
        var socket = await TestSocket.ConnectAsync(_server, "/ws/chat", user);
        await socket.WaitForAsync("connected");
        return socket;
    }

    [Fact]
    public async Task JoinedAndLeftCarryTheRequestIdButThePresenceSnapshotDoesNot()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var member = await scenario.JoinAsync(_server, scenario.Members[0]);
        await using var owner = await ConnectAsync(scenario.Owner);

        await owner.SendAsync(new { type = "join_channel", channelId = scenario.ChannelId, requestId = "join-1" });
        var joined = await owner.WaitForAsync("joined_channel");
        Assert.Equal("join-1", RequestIdOf(joined));
        var snapshot = await owner.WaitForAsync("user_presence");
        Assert.Equal(scenario.Members[0].UserId, snapshot.GetProperty("userId").GetInt64());
        Assert.Null(RequestIdOf(snapshot));
        var announced = await member.WaitForAsync("user_presence", f => f.GetProperty("userId").GetInt64() == scenario.Owner.UserId);
        Assert.Null(RequestIdOf(announced));

        await owner.SendAsync(new { type = "leave_channel", channelId = scenario.ChannelId, requestId = "leave-1" });
        var left = await owner.WaitForAsync("left_channel");
        Assert.Equal("leave-1", RequestIdOf(left));
        var offline = await member.WaitForAsync("user_presence", f => f.GetProperty("status").GetString() == "offline");
        Assert.Null(RequestIdOf(offline));
    }

    [Fact]
    public async Task OnlyTheSendingSocketsEchoCarriesTheRequestIdAndARetryGetsTheOriginalWithTheNewOne()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        await using var sendersOtherTab = await scenario.JoinAsync(_server, scenario.Owner);
        await using var other = await scenario.JoinAsync(_server, scenario.Members[0]);

        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "hi", clientMsgId = "c-1", requestId = "send-1" });
        var echo = await sender.WaitForAsync("new_message");
        var tab = await sendersOtherTab.WaitForAsync("new_message");
        var broadcast = await other.WaitForAsync("new_message");
        Assert.Equal("send-1", RequestIdOf(echo));
        Assert.Null(RequestIdOf(tab));
        Assert.Null(RequestIdOf(broadcast));
        // The echo is the frame everyone else got, plus the requestId.
        Assert.Equal(broadcast.GetRawText(), tab.GetRawText());
        Assert.Equal(
            broadcast.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())),
            echo.EnumerateObject().Where(p => p.Name != "requestId").Select(p => (p.Name, p.Value.GetRawText())));

        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "hi", clientMsgId = "c-1", requestId = "send-2" });
        var again = await sender.WaitForAsync("new_message");
        Assert.Equal("send-2", RequestIdOf(again));
        Assert.Equal(echo.GetProperty("message").GetProperty("id").GetInt64(), again.GetProperty("message").GetProperty("id").GetInt64());

        // Marks the end of what the other sockets could have been sent about the retry.
        await scenario.Members[0].PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "after" });
        var next = await other.WaitForAsync("new_message");
        Assert.Equal("after", next.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(["hi", "after"], other.ChatMessages().Select(m => m.GetProperty("content").GetString()));
        await sendersOtherTab.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("content").GetString() == "after");
        Assert.Equal(["hi", "after"], sendersOtherTab.ChatMessages().Select(m => m.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task PipelinedFramesGetTheirEchoesAndErrorsWithTheirOwnIdsInFrameOrder()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        var elsewhere = await scenario.Owner.CreateChannelAsync(scenario.WorkspaceId, "elsewhere");
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        await using var other = await scenario.JoinAsync(_server, scenario.Members[0]);

        // Five tokens: r1, r2, r3, r5, r6 take them; r4 is not joined (takes none); r7 is over the limit.
        var frames = new object[]
        {
            new { type = "send_message", channelId = scenario.ChannelId, content = "m1", requestId = "r1" },
            new { type = "send_message", channelId = scenario.ChannelId, content = "m2", requestId = "r2" },
            new { type = "send_message", channelId = scenario.ChannelId, content = "m3", requestId = "r3" },
            new { type = "send_message", channelId = elsewhere, content = "nope", requestId = "r4" },
            new { type = "send_message", channelId = scenario.ChannelId, content = "m5", requestId = "r5" },
            new { type = "send_message", channelId = scenario.ChannelId, content = "m6", requestId = "r6" },
            new { type = "send_message", channelId = scenario.ChannelId, content = "m7", requestId = "r7" },
            new { type = "typing", channelId = elsewhere, requestId = "r8" },
        };
        foreach (var frame in frames)
        {
            await sender.SendAsync(frame);
        }

        await sender.WaitForAsync("error", f => RequestIdOf(f) == "r8");
        var answers = sender.Snapshot().Where(f => TypeOf(f) is "new_message" or "error").ToList();
        Assert.Equal(["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"], answers.Select(RequestIdOf));
        Assert.Equal(["new_message", "new_message", "new_message", "error", "new_message", "new_message", "error", "error"], answers.Select(TypeOf));
        Assert.Equal("not_joined", answers[3].GetProperty("code").GetString());
        Assert.Equal("Join the channel before sending messages.", answers[3].GetProperty("message").GetString());
        Assert.Equal("rate_limited", answers[6].GetProperty("code").GetString());
        Assert.Equal("not_joined", answers[7].GetProperty("code").GetString());
        Assert.Equal(["m1", "m2", "m3", "m5", "m6"], answers.Where(f => TypeOf(f) == "new_message").Select(f => f.GetProperty("message").GetProperty("content").GetString()));

        await other.WaitForMessageCountAsync(5, TestSocket.DefaultTimeout);
        Assert.All(other.Snapshot(), f => Assert.Null(RequestIdOf(f)));
    }

    [Theory]
    [InlineData("""{"type":"send_message","channelId":CHANNEL,"content":"x","requestId":7}""")]
    [InlineData("""{"type":"send_message","channelId":CHANNEL,"content":"x","requestId":""}""")]
    [InlineData("""{"type":"send_message","channelId":CHANNEL,"content":"x","requestId":null}""")]
    [InlineData("""{"type":"send_message","channelId":CHANNEL,"content":"x","requestId":["a"]}""")]
    [InlineData("""{"type":"send_message","channelId":CHANNEL,"content":"x","requestId":"LONG"}""")]
    public async Task AnInvalidRequestIdIsABadRequestAndTheFrameIsNotHandled(string frame)
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);

        await sender.SendRawAsync(frame.Replace("CHANNEL", scenario.ChannelId.ToString()).Replace("LONG", new string('x', 65)));
        var error = await sender.WaitForAsync("error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal(InvalidRequestId, error.GetProperty("message").GetString());
        Assert.Null(RequestIdOf(error));

        // Nothing was stored: the next send is the channel's first message.
        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "valid", requestId = new string('y', 64) });
        var echo = await sender.WaitForAsync("new_message");
        Assert.Equal(new string('y', 64), RequestIdOf(echo));
        Assert.Equal(1, echo.GetProperty("message").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task AnInvalidRequestIdOnAJoinDoesNotJoin()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var socket = await ConnectAsync(scenario.Owner);

        await socket.SendRawAsync($$"""{"type":"join_channel","channelId":{{scenario.ChannelId}},"requestId":""}""");
        var error = await socket.WaitForAsync("error");
        Assert.Equal(InvalidRequestId, error.GetProperty("message").GetString());
        await socket.SendAsync(new { type = "typing", channelId = scenario.ChannelId, requestId = "t" });
        var notJoined = await socket.WaitForAsync("error");
        Assert.Equal("not_joined", notJoined.GetProperty("code").GetString());
        Assert.Equal("t", RequestIdOf(notJoined));
        Assert.DoesNotContain(socket.Snapshot(), f => TypeOf(f) == "joined_channel");
    }

    [Fact]
    public async Task BroadcastAnswersCarryNoRequestIdButTheirErrorsDo()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await using var member = await scenario.JoinAsync(_server, scenario.Members[0]);
        await owner.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "helo" });
        var sent = (await owner.WaitForAsync("new_message")).GetProperty("message");
        var messageId = sent.GetProperty("id").GetInt64();
        await member.WaitForAsync("new_message");

        await owner.SendAsync(new { type = "typing", channelId = scenario.ChannelId, requestId = "ty" });
        Assert.Null(RequestIdOf(await member.WaitForAsync("user_typing")));
        await owner.SendAsync(new { type = "stop_typing", channelId = scenario.ChannelId, requestId = "st" });
        Assert.Null(RequestIdOf(await member.WaitForAsync("user_stop_typing")));
        await member.SendAsync(new { type = "mark_read", channelId = scenario.ChannelId, messageId, requestId = "mr" });
        Assert.Null(RequestIdOf(await owner.WaitForAsync("message_read")));
        await owner.SendAsync(new { type = "edit_message", messageId, content = "hello", requestId = "ed" });
        Assert.Null(RequestIdOf(await owner.WaitForAsync("message_updated")));
        Assert.Null(RequestIdOf(await member.WaitForAsync("message_updated")));

        await member.SendAsync(new { type = "edit_message", messageId, content = "mine now", requestId = "ed-2" });
        var refusedEdit = await member.WaitForAsync("error");
        Assert.Equal("ed-2", RequestIdOf(refusedEdit));
        await member.SendAsync(new { type = "mark_read", channelId = scenario.ChannelId, messageId = messageId + 1000, requestId = "mr-2" });
        var refusedRead = await member.WaitForAsync("error");
        Assert.Equal("not_found", refusedRead.GetProperty("code").GetString());
        Assert.Equal("mr-2", RequestIdOf(refusedRead));
        await member.SendAsync(new { type = "dance", requestId = "u-1" });
        var unknown = await member.WaitForAsync("error");
        Assert.Equal("unknown_type", unknown.GetProperty("code").GetString());
        Assert.Equal("u-1", RequestIdOf(unknown));
        await member.SendAsync(new { requestId = "no-type" });
        var untyped = await member.WaitForAsync("error");
        Assert.Equal("type is required.", untyped.GetProperty("message").GetString());
        Assert.Equal("no-type", RequestIdOf(untyped));
        Assert.All(owner.Snapshot(), f => Assert.Null(RequestIdOf(f)));
    }

    [Fact]
    public async Task AFrameThatIsNotJsonGetsItsErrorWithoutARequestId()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var socket = await ConnectAsync(scenario.Owner);

        await socket.SendRawAsync("""{"type":"join_channel","requestId":"r-1",""");
        var error = await socket.WaitForAsync("error");
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Null(RequestIdOf(error));
    }

    [Fact]
    public async Task ARequestIdIsCopiedAsAJsonStringWhateverItsCharacters()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var socket = await ConnectAsync(scenario.Owner);
        const string awkward = "q\"uote\\ <tag> é 😀 \n";

        await socket.SendAsync(new { type = "join_channel", channelId = scenario.ChannelId, requestId = awkward });
        var joined = await socket.WaitForAsync("joined_channel");
        Assert.Equal(awkward, RequestIdOf(joined));
    }
}
