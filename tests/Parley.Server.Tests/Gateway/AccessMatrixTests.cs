using System.Globalization;
using System.Text.Json;
using Parley.Server.Tests.Direct;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Gateway;

/// <summary>
/// Bystanders never hear of what they may not see: three workspaces and three DM pairs among six users,
/// every operation done once in each, and every frame every socket received checked against who may see it.
/// </summary>
public sealed class AccessMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] WorkspaceOps = ["CHANNEL_CREATE", "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_REMOVE", "PRESENCE_UPDATE"];
    private static readonly string[] DmOps = ["send_message", "typing", "mark_read", "fetch_history", "subscribe", "unsubscribe", "mark_read_by_bystander"];

    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimit:TokenLimit"] = "1000",
        ["RateLimit:TokensPerPeriod"] = "1000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task NonMembersReceiveNothingFromAnyOperation()
    {
        var users = new List<ApiClient>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await ApiClient.UserAsync(_server, $"m{i}x"));
        }
        int[][] membersOf = [[0, 1, 2], [2, 3], [4, 5, 1]];
        (int A, int B)[] pairs = [(0, 1), (2, 3), (4, 5)];
        var workspaces = new long[3];
        var channelScope = new Dictionary<long, string>();
        for (var w = 0; w < 3; w++)
        {
            var owner = users[membersOf[w][0]];
            workspaces[w] = await owner.CreateWorkspaceAsync($"w{w}");
            foreach (var member in membersOf[w].Skip(1))
            {
                await owner.AddMemberAsync(workspaces[w], users[member].UserId);
            }
            channelScope[await owner.CreateChannelAsync(workspaces[w])] = $"w{w}";
        }
        var dmChannels = new long[pairs.Length];
        for (var p = 0; p < pairs.Length; p++)
        {
            var (_, dm) = await users[pairs[p].A].PostAsync("/api/channels/dm", new { userId = users[pairs[p].B].UserId });
            dmChannels[p] = dm.GetProperty("id").GetInt64();
            channelScope[dmChannels[p]] = $"dm{p}";
        }

        var gateways = new TestSocket[users.Count];
        var directs = new TestSocket[users.Count];
        for (var u = 0; u < users.Count; u++)
        {
            (gateways[u], _) = await GatewaySockets.IdentifyAsync(_server, users[u]);
            directs[u] = await DirectSockets.ConnectAsync(_server, users[u]);
        }
        try
        {
            var checks = 0;
            // Workspace operations, each done by the workspace's owner.
            for (var w = 0; w < 3; w++)
            {
                var owner = users[membersOf[w][0]];
                var ownerGateway = gateways[membersOf[w][0]];
                channelScope[await owner.CreateChannelAsync(workspaces[w], "extra")] = $"w{w}";
                var channel = channelScope.First(c => c.Value == $"w{w}").Key;
                var (_, posted) = await owner.PostAsync("/api/messages", new { channelId = channel, content = $"secret of w{w}" });
                await owner.SendAsync(HttpMethod.Patch, $"/api/messages/{posted.GetProperty("id").GetInt64()}", new { content = $"edited secret of w{w}" });
                await owner.DeleteAsync($"/api/messages/{posted.GetProperty("id").GetInt64()}");
                using var temp = await ApiClient.UserAsync(_server, "temp");
                await owner.AddMemberAsync(workspaces[w], temp.UserId);
                await owner.DeleteAsync($"/api/workspaces/{workspaces[w]}/members/{temp.UserId}");
                await using (var chat = await TestSocket.ConnectAsync(_server, "/ws/chat", owner))
                {
                    await chat.SendAsync(new { type = "join_channel", channelId = channel });
                    await ownerGateway.DispatchAsync("PRESENCE_UPDATE", f => f.D().GetProperty("guildId").GetInt64() == workspaces[w]);
                }
                await ownerGateway.DispatchAsync("PRESENCE_UPDATE", f => f.D().GetProperty("status").GetString() == "offline");
                checks += (users.Count - membersOf[w].Length) * WorkspaceOps.Length;
            }

            // DM operations in each pair, and bystanders trying the ones that name a conversation or message.
            for (var p = 0; p < pairs.Length; p++)
            {
                var (a, b) = pairs[p];
                var conversation = DirectSockets.Conversation(users[a].UserId, users[b].UserId);
                var sent = await directs[a].SendDmAsync(users[b].UserId, $"secret of dm{p}");
                var messageId = sent.GetProperty("id").GetString();
                await directs[b].WaitForAsync("message_received", f => f.Payload().GetProperty("id").GetString() == messageId);
                await directs[a].SendAsync(new { type = "typing", recipientId = users[b].UserId });
                await directs[b].WaitForAsync("user_typing");
                await directs[b].SendAsync(new { type = "mark_read", messageId });
                await directs[a].WaitForAsync("message_read");
                foreach (var bystander in Enumerable.Range(0, users.Count).Where(u => u != a && u != b))
                {
                    foreach (var type in new[] { "fetch_history", "subscribe", "unsubscribe" })
                    {
                        await directs[bystander].SendAsync(new { type, conversationId = conversation });
                        Assert.Equal("Conversation not found", (await directs[bystander].WaitForAsync("error")).GetProperty("message").GetString());
                    }
                    await directs[bystander].SendAsync(new { type = "mark_read", messageId });
                    Assert.Equal("Message not found", (await directs[bystander].WaitForAsync("error")).GetProperty("message").GetString());
                }
                checks += (users.Count - 2) * DmOps.Length;
            }

            // Fence: every user joins one more workspace and gets one more DM. Both hubs deliver in publish
            // order, so once these arrive everything published before them has been delivered too.
            using var fence = await ApiClient.UserAsync(_server, "fence");
            var fenceWorkspace = await fence.CreateWorkspaceAsync("fence");
            await using var fenceDirect = await DirectSockets.ConnectAsync(_server, fence);
            for (var u = 0; u < users.Count; u++)
            {
                await fence.AddMemberAsync(fenceWorkspace, users[u].UserId);
                await gateways[u].DispatchAsync("GUILD_CREATE", f => f.D().GetProperty("id").GetInt64() == fenceWorkspace);
                await fenceDirect.SendAsync(new { type = "send_message", recipientId = users[u].UserId, content = "fence" });
                await directs[u].WaitForAsync("message_received", f => f.Payload().GetProperty("content").GetString() == "fence");
            }

            // Every frame every socket received, against who may see it.
            var inspected = 0;
            var leaks = new List<string>();
            var delivered = new HashSet<(int User, string Scope, string Op)>();
            for (var u = 0; u < users.Count; u++)
            {
                var userId = users[u].UserId;
                foreach (var frame in gateways[u].Dispatches().Skip(1))
                {
                    inspected++;
                    var scope = GatewayScope(frame, workspaces, channelScope, fenceWorkspace, fence.UserId);
                    delivered.Add((u, scope, frame.T()));
                    if (!MaySee(u, scope, membersOf, pairs))
                    {
                        leaks.Add($"gateway of user {u}: {frame.GetRawText()}");
                    }
                }
                foreach (var frame in directs[u].Snapshot().Skip(1))
                {
                    inspected++;
                    var type = frame.GetProperty("type").GetString()!;
                    if (type == "error")
                    {
                        continue;
                    }
                    var payload = frame.Payload();
                    var visible = type switch
                    {
                        "user_typing" => payload.GetProperty("recipientId").GetInt64() == userId,
                        _ => ConversationUsers(payload.GetProperty("conversationId").GetString()!).Contains(userId),
                    };
                    if (!visible)
                    {
                        leaks.Add($"messagepal of user {u}: {frame.GetRawText()}");
                    }
                }
            }

            // The matrix is not vacuous: every member did receive every operation of their workspace.
            for (var w = 0; w < 3; w++)
            {
                foreach (var member in membersOf[w])
                {
                    foreach (var op in WorkspaceOps)
                    {
                        Assert.True(delivered.Contains((member, $"w{w}", op)), $"member {member} of w{w} missed {op}");
                    }
                }
            }
            for (var p = 0; p < pairs.Length; p++)
            {
                Assert.Contains((pairs[p].A, $"dm{p}", "MESSAGE_CREATE"), delivered);
                Assert.Contains((pairs[p].B, $"dm{p}", "MESSAGE_CREATE"), delivered);
            }

            output.WriteLine($"Access matrix: 3 workspaces, 3 DM pairs, 6 users; {checks} non-member × operation checks; {inspected} frames inspected; {leaks.Count} leaks.");
            foreach (var leak in leaks)
            {
                output.WriteLine(leak);
            }
            Assert.Equal(154, checks);
            Assert.Empty(leaks);
        }
        finally
        {
            foreach (var socket in gateways.Concat(directs))
            {
                await socket.DisposeAsync();
            }
            foreach (var user in users)
            {
                user.Dispose();
            }
        }
    }

    /// <summary>Which workspace (<c>w0</c>…), DM (<c>dm0</c>…) or the fence (its workspace, its DMs) a dispatch is about.</summary>
    private static string GatewayScope(JsonElement frame, long[] workspaces, Dictionary<long, string> channelScope, long fenceWorkspace, long fenceUserId)
    {
        var d = frame.D();
        long? workspaceId = frame.T() switch
        {
            "GUILD_CREATE" or "GUILD_DELETE" => d.GetProperty("id").GetInt64(),
            "MESSAGE_CREATE" or "MESSAGE_UPDATE" => null,
            "MESSAGE_DELETE" when d.GetProperty("guildId").ValueKind == JsonValueKind.Null => null,
            _ => d.GetProperty("guildId").GetInt64(),
        };
        if (workspaceId is null)
        {
            var channelId = d.GetProperty("channelId").GetInt64();
            if (channelScope.TryGetValue(channelId, out var scope))
            {
                return scope;
            }
            // The fence's own DM to this user.
            return d.TryGetProperty("authorId", out var author) && author.GetInt64() == fenceUserId ? "fence" : $"unknown channel {channelId}";
        }
        if (workspaceId == fenceWorkspace)
        {
            return "fence";
        }
        var index = Array.IndexOf(workspaces, workspaceId.Value);
        return index >= 0 ? $"w{index}" : $"unknown workspace {workspaceId}";
    }

    private static bool MaySee(int user, string scope, int[][] membersOf, (int A, int B)[] pairs) => scope switch
    {
        "fence" => true,
        ['w', var w] => membersOf[w - '0'].Contains(user),
        ['d', 'm', var p] => pairs[p - '0'].A == user || pairs[p - '0'].B == user,
        _ => false,
    };

    private static long[] ConversationUsers(string conversationId) =>
        [.. conversationId["conv_".Length..].Split('_').Select(id => long.Parse(id, CultureInfo.InvariantCulture))];
}
