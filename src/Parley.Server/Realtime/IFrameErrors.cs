using Parley.Server.Chat;

namespace Parley.Server.Realtime;

/// <summary>
/// How one socket protocol answers a frame it cannot or will not handle, in its own wire shape: <c>/ws/chat</c> and
/// <c>/messagepal</c> send their <c>error</c> frames (with the seed's texts), <c>/gateway</c> closes with its codes.
/// </summary>
internal interface IFrameErrors<in TSession>
{
    /// <summary>The frame is not JSON (or nested too deep): no <c>requestId</c> can be read from it.</summary>
    ValueTask NotJsonAsync(TSession session);

    /// <summary>The frame is JSON but has no string route key (<c>type</c>, or <c>op</c>), or is not an object.</summary>
    ValueTask NoRouteAsync(TSession session, string? requestId);

    /// <summary>No handler takes the frame's route.</summary>
    ValueTask UnknownRouteAsync(TSession session, string route, string? requestId);

    /// <summary>A handler (or the dispatcher, for an invalid <c>requestId</c>) refused the frame.</summary>
    ValueTask RefuseAsync(TSession session, ChatError error, string? requestId);
}
