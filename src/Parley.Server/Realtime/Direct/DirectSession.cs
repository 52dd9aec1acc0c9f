using Parley.Server.Chat;
using Parley.Server.Workspaces;
using Parley.Server.Sessions;
using Parley.Server.Storage;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// One <c>/messagepal</c> socket's state: the DM channels it has used, by partner, so that typing and sending
/// do not look the channel up each time. Frames of one socket are handled one at a time, so no lock is needed.
/// </summary>
internal sealed class DirectSession(SocketConnection connection, WorkspaceService workspaces, ChatQueries queries)
{
    /// <summary>Partners whose channel a socket keeps, the most recently used (a socket talking to everyone stays bounded).</summary>
    private const int MaxCachedConversations = 1024;

    private readonly LruCache<long, ChannelRecord> _conversations = new(MaxCachedConversations);

    public SocketConnection Connection { get; } = connection;

    public AuthenticatedUser User => Connection.User!;

    /// <summary>The DM channel with <paramref name="partnerId"/> (an existing user), created on first use.</summary>
    public async Task<ChatResult<ChannelRecord>> OpenConversationAsync(long partnerId, CancellationToken cancellationToken)
    {
        if (_conversations.TryGet(partnerId, out var channel))
        {
            return channel;
        }
        var opened = await workspaces.OpenDmAsync(User.Id, partnerId, cancellationToken);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }
        _conversations.Set(partnerId, opened.Value.Channel);
        return opened.Value.Channel;
    }

    /// <summary>The DM channel with <paramref name="partnerId"/> if it exists; reading never creates one.</summary>
    public async Task<ChannelRecord?> FindConversationAsync(long partnerId, CancellationToken cancellationToken)
    {
        if (_conversations.TryGet(partnerId, out var channel))
        {
            return channel;
        }
        channel = await queries.FindDmChannelAsync(User.Id, partnerId, cancellationToken);
        if (channel is not null)
        {
            _conversations.Set(partnerId, channel);
        }
        return channel;
    }
}
