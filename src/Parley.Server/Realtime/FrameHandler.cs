using System.Text.Json;
using Parley.Server.Chat;

namespace Parley.Server.Realtime;

/// <summary>
/// Handles one kind of client frame for a socket's <typeparamref name="TSession"/>: sends its own answers, and returns the
/// refusal (or null) for the protocol's <see cref="IFrameErrors{TSession}"/> to answer.
/// </summary>
/// <param name="session">The socket's protocol state.</param>
/// <param name="frame">The whole frame, a JSON object.</param>
/// <param name="requestId">The frame's <c>requestId</c>, for the answers that carry it (null when absent or unused).</param>
/// <param name="cancellationToken">Ends the frame's store calls when the socket is aborted: nobody is left to answer.</param>
internal delegate Task<ChatError?> FrameHandler<in TSession>(TSession session, JsonElement frame, string? requestId, CancellationToken cancellationToken);
