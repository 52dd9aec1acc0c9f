namespace Parley.Server.Storage;

/// <summary>
/// Durable storage of users, sessions, workspaces, channels and messages.
/// </summary>
/// <remarks>
/// Contract every implementation keeps (checked by the store specification tests):
/// <list type="bullet">
/// <item>Usernames are unique case-insensitively; <see cref="CreateUserAsync"/> throws <see cref="DuplicateUsernameException"/>.</item>
/// <item><see cref="AppendMessageAsync"/> is atomic: it assigns the channel's next <c>seq</c> (1, 2, 3, … with no gap
/// and no repeat, also under concurrent writers) and stores the row in one transaction; when it returns, the
/// message is durable. A message with a <c>clientMsgId</c> already used by the same author in the same channel is
/// not stored again: the original is returned with <see cref="AppendResult.Created"/> false.</item>
/// <item>Message ids increase with <c>seq</c> inside a channel, so "before id" and "after seq" pagination agree.</item>
/// <item>Reads return messages oldest first; deleted messages are never returned by history or replay.</item>
/// <item><see cref="CreateWorkspaceAsync"/> stores the workspace and its owner's membership atomically;
/// <see cref="GetOrCreateDmChannelAsync"/> returns one channel per unordered pair of users, also under races.</item>
/// <item>Read receipts and pins are idempotent.</item>
/// </list>
/// All methods are safe to call concurrently.
/// </remarks>
public interface IChatStore
{
    /// <summary>Creates or upgrades the schema. Idempotent; never drops data.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs one cheap query; throws when the store cannot answer (the readiness check, <c>/healthz/ready</c>).</summary>
    Task PingAsync(CancellationToken cancellationToken = default);

    Task<UserRecord> CreateUserAsync(string username, string displayName, string role, string passwordHash, DateTime now);
    Task<UserRecord?> GetUserAsync(long id);
    Task<UserRecord?> FindUserByUsernameAsync(string username);
    Task UpdatePasswordHashAsync(long userId, string passwordHash);

    Task CreateSessionAsync(SessionRecord session);
    Task<SessionRecord?> GetSessionAsync(string idHash);
    Task ExtendSessionAsync(string idHash, DateTime expiresAt);
    /// <summary>Deletes the session; false when it did not exist.</summary>
    Task<bool> DeleteSessionAsync(string idHash);

    Task<ApiTokenRecord> CreateApiTokenAsync(long userId, string name, string tokenHash, DateTime now);
    Task<ApiTokenRecord?> FindApiTokenAsync(string tokenHash);
    Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId);
    /// <summary>Deletes one of the user's tokens; false when the user has no token with that id.</summary>
    Task<bool> DeleteApiTokenAsync(long userId, long tokenId);

    Task<WorkspaceRecord> CreateWorkspaceAsync(string name, string? description, long ownerId, DateTime now);
    Task<WorkspaceRecord?> GetWorkspaceAsync(long id);
    Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId);
    /// <summary>The user's role in the workspace, or null when not a member.</summary>
    Task<string?> GetMemberRoleAsync(long workspaceId, long userId);
    Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId);
    /// <summary>Every membership, for building in-memory indexes at start-up.</summary>
    Task<IReadOnlyList<(long WorkspaceId, long UserId)>> ListAllMembershipsAsync();
    /// <summary>Adds a member; false when already a member (the role is left unchanged).</summary>
    Task<bool> AddMemberAsync(long workspaceId, long userId, string role, DateTime now);
    /// <summary>Removes a member; false when not a member.</summary>
    Task<bool> RemoveMemberAsync(long workspaceId, long userId);

    Task<ChannelRecord> CreateChannelAsync(long workspaceId, string name, string type, string? subject, DateTime now);
    Task<ChannelRecord?> GetChannelAsync(long id);
    Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId);
    /// <summary>The DM channel of two distinct users, created on first use.</summary>
    Task<(ChannelRecord Channel, bool Created)> GetOrCreateDmChannelAsync(long userA, long userB, DateTime now);
    Task<IReadOnlyList<ChannelRecord>> ListDmChannelsAsync(long userId);

    Task<AppendResult> AppendMessageAsync(NewMessage message);
    /// <summary>The author's message with this clientMsgId in the channel, or null.</summary>
    Task<StoredMessage?> FindMessageByClientMsgIdAsync(long channelId, long authorId, string clientMsgId);
    /// <summary>A message by id, including a deleted one (callers check <see cref="StoredMessage.Deleted"/>).</summary>
    Task<StoredMessage?> GetMessageAsync(long id);
    /// <summary>Up to <paramref name="limit"/> newest messages older than message <paramref name="beforeId"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<StoredMessage>> ListMessagesBeforeAsync(long channelId, long? beforeId, int limit);
    /// <summary>Up to <paramref name="limit"/> messages with seq greater than <paramref name="afterSeq"/>, in seq order.</summary>
    Task<IReadOnlyList<StoredMessage>> ListMessagesAfterSeqAsync(long channelId, long afterSeq, int limit);
    /// <summary>Marks the message deleted; false when it did not exist or was already deleted.</summary>
    Task<bool> DeleteMessageAsync(long messageId, DateTime now);

    /// <summary>Records that <paramref name="userId"/> read the message; false when already recorded.</summary>
    Task<bool> MarkReadAsync(long messageId, long userId, DateTime now);
    /// <summary>Readers of each message, by message id (messages nobody read are absent).</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<long>>> GetReadersAsync(IReadOnlyCollection<long> messageIds);
    /// <summary>Messages of the channel not deleted, not written by the user and not read by them.</summary>
    Task<int> CountUnreadAsync(long channelId, long userId);

    /// <summary>Pins a message; false when already pinned.</summary>
    Task<bool> PinAsync(long channelId, long messageId, long userId, DateTime now);
    /// <summary>Unpins a message; false when it was not pinned.</summary>
    Task<bool> UnpinAsync(long channelId, long messageId);
    Task<IReadOnlyList<StoredMessage>> ListPinnedAsync(long channelId);
}
