using Parley.Server.Chat;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// <c>/messagepal</c>'s answers to a frame it does not handle: the seed's <c>{type: "error", message}</c> frame with
/// <b>(ext)</b> <c>code</c> and the frame's <c>requestId</c>; what is not JSON, or not an event, is logged too.
/// </summary>
internal sealed class DirectFrameErrors(ILogger logger) : IFrameErrors<DirectSession>
{
    public ValueTask NotJsonAsync(DirectSession session)
    {
        DirectLog.InvalidFrame(logger, session.Connection.Id);
        session.Connection.Send(DirectFrames.InvalidFormat);
        return ValueTask.CompletedTask;
    }

    public ValueTask NoRouteAsync(DirectSession session, string? requestId) => RefuseAsync(session, DirectErrors.NotAnEvent, requestId);

    public ValueTask UnknownRouteAsync(DirectSession session, string route, string? requestId)
    {
        DirectLog.UnknownType(logger, session.Connection.Id, FrameFields.Shown(route));
        return RefuseAsync(session, FrameFields.UnknownType(route), requestId);
    }

    public ValueTask RefuseAsync(DirectSession session, ChatError error, string? requestId)
    {
        session.Connection.Send(RequestIds.Stamp(DirectFrames.Error(error), requestId));
        return ValueTask.CompletedTask;
    }
}
