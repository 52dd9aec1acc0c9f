namespace Parley.Client.Internal;

/// <summary>
/// A <c>/messagepal</c> request written and not answered yet: a send (answered by the sender's
/// <c>message_received</c>), <c>fetch_history</c>, <c>subscribe</c> or <c>unsubscribe</c>, or by an <c>error</c>.
/// </summary>
internal sealed class DirectPendingRequest(string requestId, string type, string? key)
{
    public string RequestId { get; } = requestId;

    /// <summary>The request's <c>type</c>.</summary>
    public string Type { get; } = type;

    /// <summary>What a server without request ids lets the answer be recognised by: the clientMsgId of a send, the conversation of the others.</summary>
    public string? Key { get; } = key;

    /// <summary>Completes with the answer's payload, or fails with <see cref="ParleyRequestException"/>.</summary>
    public TaskCompletionSource<object> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
