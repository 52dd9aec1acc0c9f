using System.Globalization;
using System.Net.Http.Headers;

namespace Parley.Bench.Dataset;

/// <summary>
/// The operations measured on one running server. HTTP: the measured channel's unread count (as its owner), a history
/// page from its middle, the DM user's first page of conversations. Socket: joining with <c>since</c>
/// <see cref="ReplayDepth"/> behind the end (to the last replayed message), sending (to the sender's echo) and
/// <c>mark_read</c> (to the <c>message_read</c> on the reader's other socket, as the protocol tells other tabs). Each
/// operation opens its own sockets, so that no idle socket of another operation receives (and costs) its events.
/// </summary>
internal sealed class DatasetOperations(ContenderProcess server, DatasetAccounts accounts, DatasetLandmarks landmarks) : IDisposable
{
    /// <summary>How far behind the channel's end a join's <c>since</c> is: a client back from a short absence.</summary>
    public const int ReplayDepth = 100;

    public static readonly string[] Names = ["unread", "history", "conversations", "join", "send", "markread"];

    private readonly Dictionary<string, string> _answers = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    public ContenderProcess Server => server;

    /// <summary>What the operation's last repetition got (size, count): for the log, to show both databases were asked the same.</summary>
    public string Answer(string operation) => _answers.GetValueOrDefault(operation, "–");

    public async Task<OperationRun> BeginAsync(string operation)
    {
        switch (operation)
        {
            case "unread":
                return new(_ => GetAsync(operation, accounts.Owner, $"/api/channels/{accounts.ChannelId}/unread"));
            case "history":
                var middle = landmarks.MessageId(landmarks.LastSeq / 2);
                return new(_ => GetAsync(operation, accounts.Owner, FormattableString.Invariant($"/api/channels/{accounts.ChannelId}/messages?before={middle}&limit=50")));
            case "conversations":
                return new(_ => GetAsync(operation, accounts.DmUser, "/api/messagepal/conversations"));
            case "join":
                var joiner = await ChatSocket.ConnectAsync(server.BaseUri, accounts.Owner.Token);
                return new(_ => JoinWithSinceAsync(joiner), () => LeaveAsync(joiner), joiner);
            case "send":
                var sender = await ChatSocket.ConnectAsync(server.BaseUri, accounts.Sender.Token);
                await JoinAsync(sender);
                return new(i => SendAsync(sender, i), null, sender);
            case "markread":
                var reader = await ChatSocket.ConnectAsync(server.BaseUri, accounts.Owner.Token);
                var otherTab = await ChatSocket.ConnectAsync(server.BaseUri, accounts.Owner.Token);
                await JoinAsync(reader);
                await JoinAsync(otherTab);
                // Each repetition reads the next unread message: marking one at or below the cursor changes and tells nothing.
                return new(i => MarkReadAsync(reader, otherTab, landmarks.MessageId(landmarks.OwnerReadSeq + 1 + i)), null, reader, otherTab);
            default:
                throw new ArgumentException($"Unknown operation '{operation}'.", nameof(operation));
        }
    }

    private async Task GetAsync(string operation, BenchUser user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }
        // Small answers (the unread count) are shown whole; lists by size and item count.
        _answers[operation] = body.Length <= 64
            ? System.Text.Encoding.UTF8.GetString(body)
            : FormattableString.Invariant($"{body.Length:#,0} bytes, {System.Text.Json.JsonDocument.Parse(body).RootElement.GetArrayLength()} items");
    }

    private string JoinFrame(long? since) => since is { } seq
        ? FormattableString.Invariant($$"""{"type":"join_channel","channelId":{{accounts.ChannelId}},"since":{{seq}}}""")
        : FormattableString.Invariant($$"""{"type":"join_channel","channelId":{{accounts.ChannelId}}}""");

    private async Task JoinAsync(ChatSocket socket)
    {
        await socket.SendAsync(JoinFrame(since: null));
        await socket.ReadUntilAsync(f => ChatSocket.Is(f, "joined_channel"));
    }

    /// <summary>Until the newest message arrived: the replay is part of what a rejoining client waits for.</summary>
    private async Task JoinWithSinceAsync(ChatSocket socket)
    {
        await socket.SendAsync(JoinFrame(Math.Max(0, landmarks.LastSeq - ReplayDepth)));
        var joined = await socket.ReadUntilAsync(f => ChatSocket.Is(f, "joined_channel"));
        var last = joined.GetProperty("lastSeq").GetInt64();
        var replayed = 0;
        await socket.ReadUntilAsync(f =>
        {
            if (!ChatSocket.Is(f, "new_message"))
            {
                return false;
            }
            replayed++;
            return f.GetProperty("message").GetProperty("seq").GetInt64() >= last;
        });
        _answers["join"] = FormattableString.Invariant($"lastSeq {last}, {replayed} messages replayed");
    }

    private async Task LeaveAsync(ChatSocket socket)
    {
        await socket.SendAsync(FormattableString.Invariant($$"""{"type":"leave_channel","channelId":{{accounts.ChannelId}}}"""));
        await socket.ReadUntilAsync(f => ChatSocket.Is(f, "left_channel"));
    }

    private async Task SendAsync(ChatSocket socket, int i)
    {
        var key = "bench-" + i.ToString(CultureInfo.InvariantCulture);
        await socket.SendAsync(FormattableString.Invariant(
            $$"""{"type":"send_message","channelId":{{accounts.ChannelId}},"content":"a measured message, as long as a line of chat","clientMsgId":"{{key}}"}"""));
        var echo = await socket.ReadUntilAsync(f => ChatSocket.Is(f, "new_message")
            && f.GetProperty("message").GetProperty("clientMsgId") is { ValueKind: System.Text.Json.JsonValueKind.String } id && id.ValueEquals(key));
        _answers["send"] = FormattableString.Invariant($"echoed as seq {echo.GetProperty("message").GetProperty("seq").GetInt64()}");
    }

    private async Task MarkReadAsync(ChatSocket reader, ChatSocket otherTab, long messageId)
    {
        await reader.SendAsync(FormattableString.Invariant($$"""{"type":"mark_read","channelId":{{accounts.ChannelId}},"messageId":{{messageId}}}"""));
        await otherTab.ReadUntilAsync(f => ChatSocket.Is(f, "message_read") && f.GetProperty("messageId").GetInt64() == messageId);
        _answers["markread"] = FormattableString.Invariant($"message_read of message {messageId}");
    }

    public void Dispose() => _http.Dispose();
}
