namespace Parley.Server.Messages;

/// <summary>The body of <c>PATCH /api/messages/:id</c>: the message's new text.</summary>
public sealed record EditMessageBody(string? Content);
