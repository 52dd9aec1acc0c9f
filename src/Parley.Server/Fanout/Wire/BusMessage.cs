namespace Parley.Server.Fanout.Wire;

/// <summary>A stored message as it travels between nodes (the fields of <c>StoredMessage</c> that nodes need).</summary>
public sealed record BusMessage(
    long Id,
    long ChannelId,
    long Seq,
    long AuthorId,
    string AuthorUsername,
    string Content,
    string MessageType,
    string? FileUrl,
    string? ClientMsgId,
    DateTime CreatedAt,
    bool Deleted,
    DateTime? EditedAt);
