namespace Parley.Server.Chat;

/// <summary>What a client asked to send, before validation.</summary>
public sealed record SendRequest(string? Content, string? MessageType, string? FileUrl, string? ClientMsgId);
