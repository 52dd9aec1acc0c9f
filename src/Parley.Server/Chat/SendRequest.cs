using Parley.Server.Fanout;

namespace Parley.Server.Chat;

/// <summary>
/// What a client asked to send, before validation; <c>Origin</c> is the asking socket's request, carried on the
/// published <see cref="MessageCreated"/>.
/// </summary>
public sealed record SendRequest(string? Content, string? MessageType, string? FileUrl, string? ClientMsgId, RequestOrigin? Origin = null);
