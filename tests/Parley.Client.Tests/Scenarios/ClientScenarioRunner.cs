using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.ClientScenarios;

/// <summary>
/// Plays one scenario of the table against the real server with one client per user, and fails when any outcome
/// differs from the table, or when an answer to a request lacks its <c>requestId</c>. Both clients' runners use it,
/// so they are held to the same table by the same rules (README.md beside the table).
/// </summary>
public static class ClientScenarioRunner
{
    public const string Password = "password123";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The answers on the asking socket that must carry the request's id (the sender's echo is checked apart).</summary>
    private static readonly string[] AnswerTypes = ["joined_channel", "left_channel", "error"];

    public static async Task RunAsync(ClientScenario scenario, ParleyTestServer server, Func<string, Task<IScenarioClient>> newClient, Action<string> log)
    {
        var accounts = new Dictionary<string, ApiClient>();
        var clients = new Dictionary<string, IScenarioClient>();
        var userIds = new Dictionary<string, long>();
        try
        {
            foreach (var user in scenario.Users())
            {
                accounts[user] = await ApiClient.UserAsync(server, user, Password).WaitAsync(StepTimeout);
            }
            var channels = await CreateWorkspacesAsync(scenario, accounts);
            var messageIds = new Dictionary<(long Channel, long Seq), long>();
            var mismatches = new List<string>();
            var number = 0;
            foreach (var step in scenario.Steps.Select(s => s!.AsObject()))
            {
                number++;
                var user = step["user"]!.GetValue<string>();
                var action = step["do"]!.GetValue<string>();
                if (action == "connect")
                {
                    var client = clients[user] = await newClient(user).WaitAsync(StepTimeout);
                    userIds[user] = await client.ConnectAsync(accounts[user].Username, Password).WaitAsync(StepTimeout);
                    log($"{number}. {user} connected as {userIds[user]}");
                    continue;
                }
                var actual = await PerformAsync(clients[user], step, channels, messageIds).WaitAsync(StepTimeout);
                var expected = step["expect"];
                var same = Matches(expected, actual);
                log($"{number}. {user} {action}: {actual?.ToJsonString()}{(same ? "" : $"  (expected {expected?.ToJsonString()})")}");
                if (!same)
                {
                    mismatches.Add($"step {number} ({user} {action}): expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");
                }
            }
            foreach (var (user, client) in clients)
            {
                // The first few of each user's are enough to tell what is wrong.
                var problems = CheckRequestIds(user, userIds[user], await client.FramesAsync().WaitAsync(StepTimeout)).ToList();
                mismatches.AddRange(problems.Take(3));
                if (problems.Count > 3)
                {
                    mismatches.Add($"… and {problems.Count - 3} more such frames for {user}");
                }
            }
            Assert.True(mismatches.Count == 0, $"Scenario \"{scenario.Name}\" differs from the table:\n" + string.Join("\n", mismatches));
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }
            foreach (var account in accounts.Values)
            {
                account.Dispose();
            }
        }
    }

    /// <summary>Creates the scenario's workspaces over HTTP (owner, members, channels); the channel ids by name.</summary>
    private static async Task<Dictionary<string, long>> CreateWorkspacesAsync(ClientScenario scenario, Dictionary<string, ApiClient> accounts)
    {
        var channels = new Dictionary<string, long>();
        foreach (var (name, node) in scenario.Workspaces)
        {
            var owner = accounts[node!["owner"]!.GetValue<string>()];
            var workspace = await owner.CreateWorkspaceAsync(name).WaitAsync(StepTimeout);
            foreach (var member in node["members"]?.AsArray() ?? [])
            {
                await owner.AddMemberAsync(workspace, accounts[member!.GetValue<string>()].UserId).WaitAsync(StepTimeout);
            }
            foreach (var (channel, type) in node["channels"]!.AsObject())
            {
                channels[channel] = await owner.CreateChannelAsync(workspace, channel, type!.GetValue<string>()).WaitAsync(StepTimeout);
            }
        }
        return channels;
    }

    private static async Task<JsonNode?> PerformAsync(IScenarioClient client, JsonObject step, Dictionary<string, long> channels, Dictionary<(long, long), long> messageIds)
    {
        var channel = channels[step["channel"]!.GetValue<string>()];
        switch (step["do"]!.GetValue<string>())
        {
            case "join":
                return await client.JoinAsync(channel);
            case "leave":
                return await client.LeaveAsync(channel);
            case "send":
                var texts = Strings(step["texts"]);
                var ids = step["clientMsgIds"] is JsonArray given ? [.. given.Select(i => i?.GetValue<string>())] : texts.Select(_ => (string?)null).ToList();
                var sent = await client.SendAsync(channel, texts, ids);
                Remember(sent, channel, messageIds);
                return sent;
            case "joinAndSend":
                var both = await client.JoinAndSendAsync(channel, Strings(step["texts"]));
                Remember(both["sends"]!.AsArray(), channel, messageIds);
                return both;
            case "edit":
                return await client.EditAsync(messageIds[(channel, step["seq"]!.GetValue<long>())], step["content"]!.GetValue<string>());
            case "expectHistory":
                return ToArray(await client.HistoryAsync(channel));
            case "expectMessages":
                var count = step["expect"]!.AsArray().Count;
                var messages = await Eventually(() => client.MessagesAsync(channel), m => m.Count >= count);
                return ToArray(messages);
            case "expectEdit":
                var seq = step["seq"]!.GetValue<long>();
                var edits = await Eventually(() => client.EditsAsync(channel), e => e.Any(x => x.Seq == seq));
                return JsonValue.Create(edits.Last(e => e.Seq == seq).Content);
            case var other:
                throw new InvalidOperationException($"Unknown step \"{other}\" in the scenario table.");
        }
    }

    /// <summary>
    /// The server copies a request's <c>requestId</c> onto its answers on the asking socket only: every
    /// <c>joined_channel</c>, <c>left_channel</c> and <c>error</c> here answers a request of this client, and so does
    /// every <c>new_message</c> of this user (their own echoes); other users' messages carry none.
    /// </summary>
    private static IEnumerable<string> CheckRequestIds(string user, long userId, IReadOnlyList<JsonElement> frames)
    {
        foreach (var frame in frames)
        {
            var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
            var hasId = frame.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length is >= 1 and <= 64;
            var ownEcho = type == "new_message" && frame.TryGetProperty("message", out var message) &&
                message.TryGetProperty("authorId", out var author) && author.GetInt64() == userId;
            if ((AnswerTypes.Contains(type) || ownEcho) && !hasId)
            {
                yield return $"{user} got an answer without its requestId (the server does not copy it yet?): {frame.GetRawText()}";
            }
            else if (type == "new_message" && !ownEcho && frame.TryGetProperty("requestId", out _))
            {
                yield return $"{user} got another user's message with a requestId (it belongs on the sender's socket only): {frame.GetRawText()}";
            }
        }
    }

    /// <summary>
    /// The table's comparison: an expected object names the fields that must be equal (the actual one may have more,
    /// such as a message's id); arrays must match item by item; anything else must be equal.
    /// </summary>
    public static bool Matches(JsonNode? expected, JsonNode? actual) => expected switch
    {
        JsonObject fields => actual is JsonObject found && fields.All(f => found.TryGetPropertyValue(f.Key, out var value) && Matches(f.Value, value)),
        JsonArray items => actual is JsonArray list && list.Count == items.Count && items.Select((item, i) => Matches(item, list[i])).All(m => m),
        _ => JsonNode.DeepEquals(expected, actual),
    };

    private static void Remember(JsonArray sent, long channel, Dictionary<(long, long), long> messageIds)
    {
        foreach (var outcome in sent.OfType<JsonObject>().Where(o => o.ContainsKey("seq") && o.ContainsKey("id")))
        {
            messageIds[(channel, outcome["seq"]!.GetValue<long>())] = outcome["id"]!.GetValue<long>();
        }
    }

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(t => t!.GetValue<string>())];

    private static JsonArray ToArray(IEnumerable<string> items) => [.. items.Select(i => (JsonNode?)JsonValue.Create(i))];

    /// <summary>Polls until <paramref name="done"/> holds (bounded by the step's timeout); returns the last value read.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + StepTimeout - TimeSpan.FromSeconds(2);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(25);
        }
    }
}
