namespace Parley.Server.Storage;

/// <summary>A validated message about to be appended to a channel.</summary>
public sealed record NewMessage(
    long ChannelId,
    long AuthorId,
    string AuthorUsername,
    string Content,
    string MessageType,
    string? FileUrl,
    string? ClientMsgId,
    DateTime CreatedAt);
