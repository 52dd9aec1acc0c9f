namespace Parley.Server.Storage;

/// <summary>A message row with its author's username joined in; <see cref="EditedAt"/> is null until its author edits it.</summary>
public sealed record StoredMessage(
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
