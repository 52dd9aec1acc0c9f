using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Operations;
using Parley.Server.Realtime;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Realtime;

public sealed class ChatSocketAbuseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FramesBreakingTheRulesCloseWithTheDocumentedCodes()
    {
        await using var server = await ParleyTestServer.StartAsync();
        using var user = await ApiClient.UserAsync(server);

        await using var big = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await big.SendRawAsync("{\"type\":\"typing\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}");
        Assert.Equal(1009, await big.WaitForCloseAsync());

        await using var binary = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await binary.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal(1003, await binary.WaitForCloseAsync());

        await using var notUtf8 = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await notUtf8.SendBytesAsync([(byte)'{', 0xC3, 0x28, (byte)'}'], WebSocketMessageType.Text);
        Assert.Equal(1007, await notUtf8.WaitForCloseAsync());
    }

    [Fact]
    public async Task BadJsonAndUnknownTypesGetErrorsAndTheSocketKeepsWorking()
    {
        await using var server = await ParleyTestServer.StartAsync();
        using var scenario = await ChannelScenario.CreateAsync(server);
        await using var socket = await scenario.JoinAsync(server, scenario.Owner);

        async Task<string?> CodeAfterAsync(string raw)
        {
            await socket.SendRawAsync(raw);
            return (await socket.WaitForAsync("error")).GetProperty("code").GetString();
        }

        Assert.Equal("invalid_json", await CodeAfterAsync("{not json"));
        Assert.Equal("invalid_json", await CodeAfterAsync(new string('[', 40) + new string(']', 40)));
        Assert.Equal("unknown_type", await CodeAfterAsync("{\"type\":\"launch_rockets\"}"));
        Assert.Equal("bad_request", await CodeAfterAsync("{\"channelId\":1}"));
        Assert.Equal("bad_request", await CodeAfterAsync("[1,2,3]"));
        Assert.Equal("bad_request", await CodeAfterAsync($"{{\"type\":\"join_channel\",\"channelId\":\"{scenario.ChannelId}\"}}"));
        Assert.Equal("bad_request", await CodeAfterAsync($"{{\"type\":\"join_channel\",\"channelId\":{scenario.ChannelId},\"since\":\"x\"}}"));
        Assert.Equal("bad_request", await CodeAfterAsync($"{{\"type\":\"send_message\",\"channelId\":{scenario.ChannelId},\"content\":\"a\",\"clientMsgId\":5}}"));
        Assert.Equal("bad_request", await CodeAfterAsync($"{{\"type\":\"mark_read\",\"channelId\":{scenario.ChannelId},\"messageId\":1.5}}"));

        await socket.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "still fine" });
        await socket.WaitForAsync("new_message");
    }

    [Fact]
    public async Task TenThousandMalformedFramesNeitherCrashNorDisturbOtherUsers()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:TokenLimit"] = "1000", ["RateLimit:TokensPerPeriod"] = "1000" });
        using var scenario = await ChannelScenario.CreateAsync(server, members: 2);
        var attacker = scenario.Members[1];
        await using var fuzz = await scenario.JoinAsync(server, attacker);
        await using var controlA = await scenario.JoinAsync(server, scenario.Owner);
        await using var controlB = await scenario.JoinAsync(server, scenario.Members[0]);

        var random = new Random(20261126);
        var templates = new[]
        {
            $"{{\"type\":\"send_message\",\"channelId\":{scenario.ChannelId},\"content\":\"hello\",\"clientMsgId\":\"k\"}}",
            $"{{\"type\":\"join_channel\",\"channelId\":{scenario.ChannelId},\"since\":0}}",
            $"{{\"type\":\"mark_read\",\"channelId\":{scenario.ChannelId},\"messageId\":1}}",
            $"{{\"type\":\"typing\",\"channelId\":{scenario.ChannelId}}}",
            "{\"type\":\"leave_channel\",\"channelId\":999}",
        };
        var values = new[] { "null", "true", "-1", "0", "1e308", "9007199254740993", "\"1\"", "[]", "{}", "\"\"", "1.5", "\"\\u0000\"" };
        var types = new[] { "join_channel", "leave_channel", "send_message", "typing", "stop_typing", "mark_read", "", "JOIN_CHANNEL", "x" };
        var fields = new[] { "channelId", "content", "messageId", "since", "messageType", "fileUrl", "clientMsgId", "type" };
        var kinds = new int[4];
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                var kind = random.Next(4);
                kinds[kind]++;
                string frame = kind switch
                {
                    0 => RandomText(random),
                    1 => Truncated(templates[random.Next(templates.Length)], random),
                    2 => $"{{\"type\":\"{types[random.Next(types.Length)]}\",\"{fields[random.Next(fields.Length)]}\":{values[random.Next(values.Length)]},\"{fields[random.Next(fields.Length)]}\":{values[random.Next(values.Length)]}}}",
                    _ => values[random.Next(values.Length)],
                };
                await fuzz.SendRawAsync(frame);
                if (i % 1000 == 999)
                {
                    // Pace the run: a client that sends thousands of frames without reading the answers is a
                    // slow reader, which the server rightly disconnects (4008); that is another test.
                    await fuzz.SendAsync(new { type = "leave_channel", channelId = 500_000 + i });
                    await fuzz.WaitForAsync("left_channel", f => f.GetProperty("channelId").GetInt64() == 500_000 + i, TimeSpan.FromSeconds(60));
                }
            }
        });

        const int controlMessages = 50;
        for (var i = 0; i < controlMessages; i++)
        {
            await controlA.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"control {i}", clientMsgId = $"control-{i}" });
            await controlA.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("clientMsgId").GetString() == $"control-{i}");
        }
        await sending;
        // Frames are handled in order, so the answer to this one means every fuzz frame was handled.
        await fuzz.SendAsync(new { type = "leave_channel", channelId = 424242 });
        await fuzz.WaitForAsync("left_channel", f => f.GetProperty("channelId").GetInt64() == 424242, TimeSpan.FromSeconds(60));

        var received = controlB.Snapshot().Count(f => f.GetProperty("type").GetString() == "new_message" &&
            f.GetProperty("message").GetProperty("content").GetString()!.StartsWith("control ", StringComparison.Ordinal));
        var errors = fuzz.Snapshot().Count(f => f.GetProperty("type").GetString() == "error");
        var failures = server.Services.GetRequiredService<ParleyMetrics>().HandlerFailures;
        output.WriteLine($"fuzz frames: 10000 (random text {kinds[0]}, truncated {kinds[1]}, wrong types {kinds[2]}, bare values {kinds[3]}); error events: {errors}; handler exceptions: {failures}; control messages received: {received}/{controlMessages}");
        Assert.Equal(0, failures);
        Assert.Equal(controlMessages, received);
        Assert.Equal(WebSocketState.Open, fuzz.Socket.State);
    }

    private static string Truncated(string frame, Random random) => frame[..random.Next(1, frame.Length - 1)];

    private static string RandomText(Random random)
    {
        const string alphabet = "{}[]\":,0123456789abcdefnulltrue \\é😀";
        var builder = new StringBuilder();
        var length = random.Next(0, 60);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }
        // Keep it valid UTF-16 so the frame is valid UTF-8 (invalid UTF-8 closes the socket by design).
        return builder.ToString().Replace("\uD83D", "", StringComparison.Ordinal).Replace("\uDE00", "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task APeerThatNeverAnswersPingsIsAborted()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Realtime:PingInterval"] = "00:00:00.200",
            ["Realtime:PingTimeout"] = "00:00:00.300",
        });
        using var user = await ApiClient.UserAsync(server);
        using var dead = await RawWebSocket.ConnectAsync(server, "/ws/chat", user.CookieHeader);
        Assert.True(await dead.WaitForServerToDropAsync(TimeSpan.FromSeconds(5)));

        // A live client answers pings by itself and stays connected.
        await using var alive = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await alive.WaitForAsync("connected");
        await Task.Delay(1000);
        Assert.Equal(WebSocketState.Open, alive.Socket.State);
    }

    [Fact]
    public async Task AClientThatNeverReadsIsDisconnectedWhileOthersGetEverything()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:TokenLimit"] = "100000",
            ["RateLimit:TokensPerPeriod"] = "100000",
            ["Realtime:SendQueueLimit"] = "64",
            ["Realtime:SendQueueByteLimit"] = "262144",
        });
        using var scenario = await ChannelScenario.CreateAsync(server, members: 2);
        await using var sender = await scenario.JoinAsync(server, scenario.Owner);
        await using var reader = await scenario.JoinAsync(server, scenario.Members[0]);

        // The slow client joins and then never reads another byte.
        var slow = new ClientWebSocket();
        slow.Options.SetRequestHeader("Cookie", scenario.Members[1].CookieHeader);
        await slow.ConnectAsync(server.WebSocketUri("/ws/chat"), CancellationToken.None);
        await slow.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"join_channel\",\"channelId\":{scenario.ChannelId}}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        await sender.WaitForAsync("user_presence", f => f.GetProperty("status").GetString() == "online");

        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        var payload = new string('x', 4000);
        var sent = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (registry.OfUser(scenario.Members[1].UserId).Length > 0 && sent < 5000 && DateTime.UtcNow < deadline)
        {
            await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = payload, clientMsgId = $"m{sent}" });
            sent++;
            if (sent % 10 == 0)
            {
                // Pace the sender so that the reading clients' queues stay far below the bound.
                await sender.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("clientMsgId").GetString() == $"m{sent - 1}", TimeSpan.FromSeconds(30));
            }
        }
        Assert.Empty(registry.OfUser(scenario.Members[1].UserId));
        Assert.Single(registry.OfUser(scenario.Members[0].UserId));

        // Everyone else still gets every message.
        await reader.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("clientMsgId").GetString() == $"m{sent - 1}", TimeSpan.FromSeconds(30));
        var seqs = reader.Snapshot().Where(f => f.GetProperty("type").GetString() == "new_message").Select(f => f.GetProperty("message").GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, sent).Select(i => (long)i), seqs);
        output.WriteLine($"slow client disconnected after {sent} messages of 4 KB; the reading client received all {seqs.Count}");
        slow.Abort();
        slow.Dispose();
    }

    [Fact]
    public async Task GracefulShutdownClosesSocketsWith1001AndKeepsEveryAcknowledgedMessage()
    {
        var directory = Directory.CreateTempSubdirectory("parley-shutdown-").FullName;
        try
        {
            long channelId;
            long userId;
            var acknowledged = new List<long>();
            {
                var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:TokenLimit"] = "1000" }, dataDirectory: directory);
                using var scenario = await ChannelScenario.CreateAsync(server);
                channelId = scenario.ChannelId;
                userId = scenario.Owner.UserId;
                var socket = await scenario.JoinAsync(server, scenario.Owner);
                for (var i = 0; i < 20; i++)
                {
                    await socket.SendAsync(new { type = "send_message", channelId, content = $"m{i}" });
                }
                for (var i = 0; i < 20; i++)
                {
                    acknowledged.Add((await socket.WaitForAsync("new_message")).GetProperty("message").GetProperty("id").GetInt64());
                }
                var stopping = server.StopAsync();
                Assert.Equal(1001, await socket.WaitForCloseAsync());
                await stopping;
                await socket.DisposeAsync();
                await server.DisposeAsync();
            }
            await using var restarted = await ParleyTestServer.StartAsync(dataDirectory: directory);
            var store = restarted.Services.GetRequiredService<Parley.Server.Storage.IChatStore>();
            var stored = await store.ListMessagesBeforeAsync(channelId, null, 100, CancellationToken.None);
            Assert.Equal(acknowledged, stored.Select(m => m.Id));
            Assert.All(stored, m => Assert.Equal(userId, m.AuthorId));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
