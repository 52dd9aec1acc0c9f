namespace Parley.Client.Internal;

/// <summary>
/// A join, leave or send waiting in the outbox. It stays there across reconnects until the server answers
/// it, so it is written at least once per connection until answered; sends are made idempotent by their
/// <see cref="ClientMsgId"/>, joins and leaves are idempotent on the server.
/// </summary>
internal sealed class PendingRequest
{
    private PendingRequest(RequestKind kind, long channelId)
    {
        Kind = kind;
        ChannelId = channelId;
    }

    public RequestKind Kind { get; }

    public long ChannelId { get; }

    /// <summary>True for the joins the client sends by itself after a reconnect: nobody awaits them.</summary>
    public bool IsRejoin { get; private init; }

    public string? ClientMsgId { get; private init; }

    public string Content { get; private init; } = "";

    public string MessageType { get; private init; } = "";

    public string? FileUrl { get; private init; }

    /// <summary>What the caller awaits: a <c>JoinedChannelEvent</c>, a <c>ChatMessage</c>, or null for a leave.</summary>
    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The socket it was last written to, until answered; null while it waits to be written.</summary>
    public SocketSession? WrittenOn { get; set; }

    /// <summary>The <c>requestId</c> of that write, which the server copies onto the answer.</summary>
    public string? RequestId { get; set; }

    /// <summary>When that write went out (<see cref="Environment.TickCount64"/>), for the request timeout.</summary>
    public long WrittenAt { get; set; }

    /// <summary>The order of that write among the client's writes: without request ids, answers come in this order.</summary>
    public long WriteNumber { get; set; }

    public static PendingRequest Join(long channelId, bool isRejoin = false) => new(RequestKind.Join, channelId) { IsRejoin = isRejoin };

    public static PendingRequest Leave(long channelId) => new(RequestKind.Leave, channelId);

    public static PendingRequest Send(long channelId, string content, string messageType, string? fileUrl, string clientMsgId) =>
        new(RequestKind.Send, channelId) { Content = content, MessageType = messageType, FileUrl = fileUrl, ClientMsgId = clientMsgId };
}
