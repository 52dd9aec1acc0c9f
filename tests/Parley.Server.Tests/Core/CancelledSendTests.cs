using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Chat;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Core;

/// <summary>A send whose caller is gone (an aborted socket or request) is a cancellation, not a failure to save.</summary>
public sealed class CancelledSendTests
{
    [Fact]
    public async Task ASendCancelledBeforeItsWriteStartedStoresNothingAndLogsNoFailure()
    {
        var logs = new RecordingLoggerProvider();
        await using var server = await ParleyTestServer.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(logs));
        using var scenario = await ChannelScenario.CreateAsync(server);
        // A joined socket: the author's membership is then answered from the node's cache, so the cancelled token
        // is first seen by the store's write, as for a socket aborted while its send waited for the writer.
        await using var socket = await scenario.JoinAsync(server, scenario.Owner);
        var chat = server.Services.GetRequiredService<ChatService>();
        var channel = await server.Services.GetRequiredService<IChatStore>().GetChannelAsync(scenario.ChannelId, CancellationToken.None);
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            chat.SendAsync(scenario.Owner.UserId, scenario.Owner.Username, channel!, new SendRequest("never stored", null, null, "c-1"), aborted.Token));

        Assert.DoesNotContain(logs.Entries, e => e.Category == typeof(ChatService).FullName);
        var stored = await chat.SendAsync(scenario.Owner.UserId, scenario.Owner.Username, channel!, new SendRequest("stored", null, null, "c-2"), CancellationToken.None);
        Assert.Equal(1, stored.Value!.Message.Message.Seq);
    }
}
