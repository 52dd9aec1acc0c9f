using System.Text.Json;
using Parley.Protocol.Chat;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// A message in a joined channel: live, replayed after a reconnect, or the echo of this client's own send.
    /// Raised exactly once per message and, within a channel, in <c>seq</c> order.
    /// </summary>
    /// <remarks>
    /// Every event of this client is raised on its receive loop, one at a time, in the order the server sent
    /// them. Handlers should return quickly (hand long work to another task); they may call the client's
    /// methods without awaiting them. An exception thrown by a handler is caught and reported through
    /// <see cref="EventHandlerFailed"/>, so that it cannot break the connection.
    /// </remarks>
    public event EventHandler<NewMessageEvent>? MessageReceived;

    /// <summary>The server confirmed a join (also after every automatic rejoin); <c>LastSeq</c> is the channel's newest seq then.</summary>
    public event EventHandler<JoinedChannelEvent>? JoinedChannel;

    /// <summary>The server confirmed a leave, or removed this user from the channel (for example removed from its workspace).</summary>
    public event EventHandler<LeftChannelEvent>? LeftChannel;

    /// <summary>Another user started typing in a joined channel.</summary>
    public event EventHandler<UserTypingEvent>? UserTyping;

    /// <summary>(ext) Another user stopped typing.</summary>
    public event EventHandler<UserTypingEvent>? UserStoppedTyping;

    /// <summary>Another user came online or went offline in a joined channel.</summary>
    public event EventHandler<UserPresenceEvent>? PresenceChanged;

    /// <summary>A message in a joined channel was marked read (by another user, or by this user elsewhere).</summary>
    public event EventHandler<MessageReadEvent>? MessageRead;

    /// <summary>(ext) A message in a joined channel was deleted.</summary>
    public event EventHandler<MessageDeletedEvent>? MessageDeleted;

    /// <summary>(ext) A moderator pinned a message in a joined channel (over HTTP, from any client).</summary>
    public event EventHandler<MessagePinnedEvent>? MessagePinned;

    /// <summary>(ext) A moderator unpinned a message in a joined channel.</summary>
    public event EventHandler<MessageUnpinnedEvent>? MessageUnpinned;

    /// <summary>
    /// (ext) A message in a joined channel was edited (by this user too, from any client): the whole message with its
    /// new <c>Content</c> and <c>EditedAt</c>, same <c>Id</c> and <c>Seq</c>. Raised for live edits only: a rejoin
    /// replays no edits, but every message it replays (and <see cref="GetHistoryAsync"/>) carries its current text.
    /// </summary>
    public event EventHandler<MessageUpdatedEvent>? MessageUpdated;

    /// <summary>
    /// (ext) A join with <c>since</c> (also an automatic rejoin) was further behind than the server replays: the
    /// messages with a seq from <c>SkippedFrom</c> to <c>SkippedTo</c> will not arrive on the socket (fetch them with
    /// <c>GetHistoryAsync</c>); the newest ones follow. The next rejoin's <c>since</c> is past the skipped range.
    /// </summary>
    public event EventHandler<ReplayTruncatedEvent>? ReplayTruncated;

    /// <summary>
    /// Every <c>error</c> event the server sent, including those that also failed a request with
    /// <see cref="ParleyRequestException"/>. The socket stays open after an error.
    /// </summary>
    public event EventHandler<ErrorEvent>? ErrorReceived;

    /// <summary>The server sent <c>connected</c>: the first connection or a reconnection is ready.</summary>
    public event EventHandler<ConnectedEvent>? Connected;

    /// <summary>
    /// The connection state changed. With <see cref="ParleyConnectionState.Reconnecting"/> it tells why the
    /// connection was lost and how long the client waits; with <see cref="ParleyConnectionState.Closed"/> the
    /// close code (4001) after which it stopped.
    /// </summary>
    public event EventHandler<ParleyStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Every <c>/ws/chat</c> frame from the server, raw, before the event it raises (as on the thin connections): for
    /// logging, and for fields this client does not read, such as (ext) the <c>requestId</c> of an answer. Frames are
    /// parsed for it only while a handler is attached.
    /// </summary>
    public event EventHandler<JsonElement>? FrameReceived;

    /// <summary>An event handler of this client threw; the exception is passed here and otherwise ignored.</summary>
    public event EventHandler<Exception>? EventHandlerFailed;

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null)
        {
            return;
        }
        try
        {
            handler(this, args);
        }
        catch (Exception ex)
        {
            try
            {
                EventHandlerFailed?.Invoke(this, ex);
            }
            catch (Exception)
            {
                // A failing failure handler has nowhere left to report to.
            }
        }
    }
}
