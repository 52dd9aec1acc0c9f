namespace Parley.Server.Messages;

public sealed record SendMessageBody(long? ChannelId, string? Content, string? MessageType, string? FileUrl, string? ClientMsgId);
