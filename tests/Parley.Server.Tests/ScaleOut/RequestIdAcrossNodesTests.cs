using Parley.Server.Tests.Direct;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.RequestIdFrames;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>(ext) A <c>requestId</c> stays on the asking socket: the other node's sockets get the shared frame.</summary>
public sealed class RequestIdAcrossNodesTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task OnlyTheSendingSocketGetsTheRequestIdWhateverNodeTheOthersAreOn()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var scenario = await ChannelScenario.CreateAsync(cluster.A);
        var member = scenario.Members[0];
        await using var sender = await scenario.JoinAsync(cluster.A, scenario.Owner);
        await using var sendersTabOnB = await scenario.JoinAsync(cluster.B, scenario.Owner.On(cluster.B));
        await using var memberOnA = await scenario.JoinAsync(cluster.A, member);
        await using var memberOnB = await scenario.JoinAsync(cluster.B, member.On(cluster.B));

        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "hi", requestId = "r-1" });

        Assert.Equal("r-1", RequestIdOf(await sender.WaitForAsync("new_message")));
        var copies = new[]
        {
            await sendersTabOnB.WaitForAsync("new_message"),
            await memberOnA.WaitForAsync("new_message"),
            await memberOnB.WaitForAsync("new_message"),
        };
        Assert.All(copies, frame => Assert.Null(RequestIdOf(frame)));
        Assert.All(copies, frame => Assert.Equal("hi", frame.GetProperty("message").GetProperty("content").GetString()));
    }

    [Fact]
    public async Task OnlyTheSendingMessagePalSocketGetsTheRequestIdWhateverNodeTheOthersAreOn()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var ana = await ApiClient.UserAsync(cluster.A, "ana");
        using var ben = await ApiClient.UserAsync(cluster.A, "ben");
        await using var sender = await TestSocket.ConnectAsync(cluster.A, "/messagepal", ana);
        await using var sendersTabOnB = await TestSocket.ConnectAsync(cluster.B, "/messagepal", ana.On(cluster.B));
        await using var benOnB = await TestSocket.ConnectAsync(cluster.B, "/messagepal", ben.On(cluster.B));
        foreach (var socket in new[] { sender, sendersTabOnB, benOnB })
        {
            await socket.WaitForAsync("connected");
        }

        await sender.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "hi", requestId = "r-1" });

        Assert.Equal("r-1", RequestIdOf(await sender.WaitForAsync("message_received")));
        foreach (var socket in new[] { sendersTabOnB, benOnB })
        {
            var frame = await socket.WaitForAsync("message_received");
            Assert.Null(RequestIdOf(frame));
            Assert.Equal("hi", frame.Payload().GetProperty("content").GetString());
        }
    }
}
