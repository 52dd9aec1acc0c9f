using Parley.Server.Chat;

namespace Parley.Server.Realtime.Chat;

/// <summary>
/// <c>/ws/chat</c>'s answers to a frame it does not handle: an <c>error</c> event (with the frame's <c>requestId</c>),
/// sent after the answers of the socket's sends in flight, so that errors keep the order of the frames.
/// </summary>
internal sealed class ChatFrameErrors : IFrameErrors<ChatSession>
{
    public static readonly ChatFrameErrors Instance = new();

    private static readonly ChatError TypeRequired = ChatError.BadRequest("type is required.");

    private ChatFrameErrors()
    {
    }

    public ValueTask NotJsonAsync(ChatSession session) => new(session.AnswerAsync(ChatFrames.InvalidJson));

    public ValueTask NoRouteAsync(ChatSession session, string? requestId) => RefuseAsync(session, TypeRequired, requestId);

    public ValueTask UnknownRouteAsync(ChatSession session, string route, string? requestId) =>
        RefuseAsync(session, FrameFields.UnknownType(route), requestId);

    public ValueTask RefuseAsync(ChatSession session, ChatError error, string? requestId) =>
        new(session.AnswerAsync(RequestIds.Stamp(ChatFrames.Error(error), requestId)));
}
