using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.ClientScenarios;

/// <summary>
/// One user's client in a scenario of tests/client-scenarios/scenarios.json: the .NET client, or the web client in a
/// browser page. Each request answers with the table's outcome shape, so that one runner compares both clients with
/// the same table: a join <c>"joined"</c>, a leave <c>"left"</c>, an edit <c>"edited"</c>, a send
/// <c>{"id", "seq", "content"}</c> (the stored message), any refusal <c>{"failed": code, "message": text}</c>.
/// </summary>
public interface IScenarioClient : IAsyncDisposable
{
    /// <summary>Logs in, opens <c>/ws/chat</c>, and completes with the user id of its <c>connected</c>.</summary>
    Task<long> ConnectAsync(string username, string password);

    Task<JsonNode> JoinAsync(long channelId);

    Task<JsonNode> LeaveAsync(long channelId);

    /// <summary>Every send made at once (pipelined), with the given clientMsgIds where not null; one outcome each, in order.</summary>
    Task<JsonArray> SendAsync(long channelId, IReadOnlyList<string> texts, IReadOnlyList<string?> clientMsgIds);

    /// <summary>A join and sends to the same channel made at once, without waiting for the join's answer: <c>{"join", "sends"}</c>.</summary>
    Task<JsonObject> JoinAndSendAsync(long channelId, IReadOnlyList<string> texts);

    Task<JsonNode> EditAsync(long messageId, string content);

    /// <summary>The channel's history over HTTP, oldest first: the contents.</summary>
    Task<IReadOnlyList<string>> HistoryAsync(long channelId);

    /// <summary>The contents of the <c>new_message</c> events the client delivered in the channel so far, in order.</summary>
    Task<IReadOnlyList<string>> MessagesAsync(long channelId);

    /// <summary>The <c>message_updated</c> events the client delivered in the channel so far: seq and new content.</summary>
    Task<IReadOnlyList<(long Seq, string Content)>> EditsAsync(long channelId);

    /// <summary>Every <c>/ws/chat</c> frame the server sent this client, parsed.</summary>
    Task<IReadOnlyList<JsonElement>> FramesAsync();
}
