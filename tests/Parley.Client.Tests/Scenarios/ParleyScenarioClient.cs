using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Client.Tests.Infrastructure;
using Parley.Server.Tests.Infrastructure;

namespace Parley.ClientScenarios;

/// <summary>The .NET client (<see cref="Client.ParleyClient"/>) as one user of a scenario.</summary>
public sealed class ParleyScenarioClient(ParleyTestServer server) : IScenarioClient
{
    private readonly Client.ParleyClient _client = new(server.BaseAddress, ClientFixtures.FastOptions());
    private readonly EventLog<JsonElement> _frames = new();
    private readonly EventLog<Protocol.Chat.ChatMessage> _messages = new();
    private readonly EventLog<Protocol.Chat.ChatMessage> _edits = new();

    public async Task<long> ConnectAsync(string username, string password)
    {
        _client.FrameReceived += (_, frame) => _frames.Add(frame);
        _client.MessageReceived += (_, e) => _messages.Add(e.Message);
        _client.MessageUpdated += (_, e) => _edits.Add(e.Message);
        await _client.LoginAsync(username, password);
        await _client.ConnectAsync();
        return _client.UserId!.Value;
    }

    public Task<JsonNode> JoinAsync(long channelId) => Outcome(async () =>
    {
        await _client.JoinAsync(channelId);
        return "joined";
    });

    public Task<JsonNode> LeaveAsync(long channelId) => Outcome(async () =>
    {
        await _client.LeaveAsync(channelId);
        return "left";
    });

    public async Task<JsonArray> SendAsync(long channelId, IReadOnlyList<string> texts, IReadOnlyList<string?> clientMsgIds)
    {
        // All started before any is awaited: they are pipelined.
        var sends = texts.Select((text, i) => _client.SendAsync(channelId, text, clientMsgId: clientMsgIds[i])).ToList();
        var outcomes = new JsonArray();
        foreach (var send in sends)
        {
            outcomes.Add(await Outcome(async () =>
            {
                var message = await send;
                return new JsonObject { ["id"] = message.Id, ["seq"] = message.Seq, ["content"] = message.Content };
            }));
        }
        return outcomes;
    }

    public async Task<JsonObject> JoinAndSendAsync(long channelId, IReadOnlyList<string> texts)
    {
        var join = JoinAsync(channelId);
        var sends = SendAsync(channelId, texts, [.. texts.Select(_ => (string?)null)]);
        return new JsonObject { ["join"] = await join, ["sends"] = await sends };
    }

    public Task<JsonNode> EditAsync(long messageId, string content) => Outcome(async () =>
    {
        await _client.EditMessageAsync(messageId, content);
        return "edited";
    });

    public async Task<IReadOnlyList<string>> HistoryAsync(long channelId) =>
        [.. (await _client.GetHistoryAsync(channelId)).Select(m => m.Content)];

    public Task<IReadOnlyList<string>> MessagesAsync(long channelId) =>
        Task.FromResult<IReadOnlyList<string>>([.. _messages.Items.Where(m => m.ChannelId == channelId).Select(m => m.Content)]);

    public Task<IReadOnlyList<(long Seq, string Content)>> EditsAsync(long channelId) =>
        Task.FromResult<IReadOnlyList<(long, string)>>([.. _edits.Items.Where(m => m.ChannelId == channelId).Select(m => (m.Seq, m.Content))]);

    public Task<IReadOnlyList<JsonElement>> FramesAsync() => Task.FromResult<IReadOnlyList<JsonElement>>(_frames.Items);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>The step's outcome: what it returned, or the refusal in the table's shape.</summary>
    private static async Task<JsonNode> Outcome(Func<Task<JsonNode>> request)
    {
        try
        {
            return await request();
        }
        catch (Client.ParleyRequestException refused)
        {
            return new JsonObject { ["failed"] = refused.Code, ["message"] = refused.Message };
        }
        catch (Client.ParleyApiException refused)
        {
            return new JsonObject { ["failed"] = ((int)refused.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), ["message"] = refused.Message };
        }
    }
}
