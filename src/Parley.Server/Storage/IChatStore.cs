namespace Parley.Server.Storage;

/// <summary>
/// Durable storage of users, sessions, workspaces, channels and messages.
/// </summary>
/// <remarks>
/// Contract every implementation keeps (checked by the store specification tests):
/// <list type="bullet">
/// <item>Usernames are unique case-insensitively; <see cref="CreateUserAsync"/> throws <see cref="DuplicateUsernameException"/>.
/// External ids are unique (exact comparison), also under concurrent first sights of one host user.</item>
/// <item><see cref="AppendMessageAsync"/> is atomic: it assigns the channel's next <c>seq</c> (1, 2, 3, … with no gap
/// and no repeat, also under concurrent writers) and stores the row in one transaction; when it returns, the
/// message is durable. A message with a <c>clientMsgId</c> already used by the same author in the same channel is
/// not stored again: the original is returned with <see cref="AppendResult.Created"/> false.</item>
/// <item>Message ids increase with <c>seq</c> inside a channel, so "before id" and "after seq" pagination agree.</item>
/// <item>Reads return messages oldest first; deleted messages are never returned by history or replay.</item>
/// <item><see cref="CreateWorkspaceAsync"/> stores the workspace and its owner's membership atomically;
/// <see cref="GetOrCreateDmChannelAsync"/> returns one channel per unordered pair of users, also under races.</item>
/// <item>A channel's activity (the time and id of its newest message that is not deleted) is kept by every append and
/// delete, and orders <see cref="ListConversationsAsync"/>.</item>
/// <item>Read state is a cursor per (channel, user) that only moves forward; marking read and pins are idempotent.
/// Appending a message also moves its author's cursor onto it when the author had read everything before it.</item>
/// <item>Cancellation: every method takes the caller's token. A read that is cancelled ends with
/// <see cref="OperationCanceledException"/>. A write honours its token only until it starts: cancelled before, it changes
/// nothing and ends with <see cref="OperationCanceledException"/>; once started, it runs to its commit and reports its
/// outcome whatever the token says, so a caller never loses track of a change that happened (persist-then-publish
/// relies on it: a stored message is always published).</item>
/// </list>
/// All methods are safe to call concurrently.
/// </remarks>
public interface IChatStore
{
    /// <summary>
    /// True when appends get their <c>seq</c> in the order <see cref="AppendMessageAsync"/> was called (a single
    /// ordered writer), so that a caller may start its next append before the previous one completes.
    /// </summary>
    bool AppendsInCallOrder { get; }

    /// <summary>Creates or upgrades the schema. Idempotent; never drops data.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Runs one cheap query; throws when the store cannot answer (the readiness check, <c>/healthz/ready</c>).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task<UserRecord> CreateUserAsync(string username, string displayName, string role, string passwordHash, DateTime now, CancellationToken cancellationToken);
    Task<UserRecord?> GetUserAsync(long id, CancellationToken cancellationToken);
    Task<UserRecord?> FindUserByUsernameAsync(string username, CancellationToken cancellationToken);
    Task UpdatePasswordHashAsync(long userId, string passwordHash, CancellationToken cancellationToken);

    /// <summary>The user whose <see cref="UserRecord.ExternalId"/> is <paramref name="externalId"/> (compared exactly), or null.</summary>
    Task<UserRecord?> FindUserByExternalIdAsync(string externalId, CancellationToken cancellationToken);
    /// <summary>
    /// Creates a user the host owns (no password). Throws <see cref="DuplicateUsernameException"/> when the username is
    /// taken and <see cref="DuplicateExternalIdException"/> when another user has the external id (external ids are unique).
    /// </summary>
    Task<UserRecord> CreateExternalUserAsync(string externalId, string username, string displayName, string role, DateTime now, CancellationToken cancellationToken);
    /// <summary>Sets username, display name and role; null when there is no such user. Throws <see cref="DuplicateUsernameException"/>.</summary>
    Task<UserRecord?> UpdateUserProfileAsync(long userId, string username, string displayName, string role, CancellationToken cancellationToken);
    /// <summary>Deletes every session and API token of the user, atomically; the stored hashes of what was deleted.</summary>
    Task<IReadOnlyList<string>> DeleteCredentialsOfUserAsync(long userId, CancellationToken cancellationToken);

    Task CreateSessionAsync(SessionRecord session, CancellationToken cancellationToken);
    Task<SessionRecord?> GetSessionAsync(string idHash, CancellationToken cancellationToken);
    Task ExtendSessionAsync(string idHash, DateTime expiresAt, CancellationToken cancellationToken);
    /// <summary>Deletes the session; false when it did not exist.</summary>
    Task<bool> DeleteSessionAsync(string idHash, CancellationToken cancellationToken);

    Task<ApiTokenRecord> CreateApiTokenAsync(long userId, string name, string tokenHash, DateTime now, CancellationToken cancellationToken);
    Task<ApiTokenRecord?> FindApiTokenAsync(string tokenHash, CancellationToken cancellationToken);
    Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId, CancellationToken cancellationToken);
    /// <summary>Deletes one of the user's tokens; false when the user has no token with that id.</summary>
    Task<bool> DeleteApiTokenAsync(long userId, long tokenId, CancellationToken cancellationToken);

    /// <summary>
    /// Which of these session and API-token hashes still authenticate at <paramref name="now"/>, with their expiry;
    /// unknown, logged-out, revoked and expired ones are absent. One query for the whole set, so that a node can
    /// re-check the credentials of all its open sockets in a few round trips.
    /// </summary>
    Task<IReadOnlyList<LiveCredential>> FindLiveCredentialsAsync(IReadOnlyCollection<string> credentialHashes, DateTime now, CancellationToken cancellationToken);

    Task<WorkspaceRecord> CreateWorkspaceAsync(string name, string? description, long ownerId, DateTime now, CancellationToken cancellationToken);
    Task<WorkspaceRecord?> GetWorkspaceAsync(long id, CancellationToken cancellationToken);
    Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId, CancellationToken cancellationToken);
    /// <summary>The user's role in the workspace, or null when not a member.</summary>
    Task<string?> GetMemberRoleAsync(long workspaceId, long userId, CancellationToken cancellationToken);
    Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId, CancellationToken cancellationToken);
    /// <summary>Every membership of the given users, in one query (for the per-node membership cache).</summary>
    Task<IReadOnlyList<(long WorkspaceId, long UserId)>> ListMembershipsOfUsersAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken);
    /// <summary>Adds a member; false when already a member (the role is left unchanged).</summary>
    Task<bool> AddMemberAsync(long workspaceId, long userId, string role, DateTime now, CancellationToken cancellationToken);
    /// <summary>Removes a member; false when not a member.</summary>
    Task<bool> RemoveMemberAsync(long workspaceId, long userId, CancellationToken cancellationToken);
    /// <summary>Changes a member's role; false when not a member.</summary>
    Task<bool> SetMemberRoleAsync(long workspaceId, long userId, string role, CancellationToken cancellationToken);

    Task<ChannelRecord> CreateChannelAsync(long workspaceId, string name, string type, string? subject, DateTime now, CancellationToken cancellationToken);
    Task<ChannelRecord?> GetChannelAsync(long id, CancellationToken cancellationToken);
    Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId, CancellationToken cancellationToken);
    /// <summary>
    /// The first <paramref name="perWorkspace"/> channels (by id) of each of the user's first <paramref name="workspaceLimit"/>
    /// workspaces (by id), in one query (READY), ordered by workspace, then channel.
    /// </summary>
    Task<IReadOnlyList<ChannelRecord>> ListChannelsOfWorkspacesOfUserAsync(long userId, int workspaceLimit, int perWorkspace, CancellationToken cancellationToken);
    /// <summary>
    /// The newest seq of each of these channels, by channel id (missing channels are absent), in one query on the
    /// primary key: a node's resync asks for all the channels it follows in a few batches, not one query each.
    /// </summary>
    Task<IReadOnlyDictionary<long, long>> GetLastSeqsAsync(IReadOnlyCollection<long> channelIds, CancellationToken cancellationToken);
    /// <summary>The DM channel of two distinct users, created on first use.</summary>
    Task<(ChannelRecord Channel, bool Created)> GetOrCreateDmChannelAsync(long userA, long userB, DateTime now, CancellationToken cancellationToken);
    /// <summary>The DM channel of two distinct users (in either order), or null when they have none; never creates one.</summary>
    Task<ChannelRecord?> FindDmChannelAsync(long userA, long userB, CancellationToken cancellationToken);

    // Pages of the HTTP lists. Each is one query on an index range and returns up to limit rows strictly after the
    // key given (none: from the start); callers ask for one row more than they show to learn whether a next page exists.

    /// <summary>The user's workspaces with id greater than <paramref name="afterId"/>, by id.</summary>
    Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId, long afterId, int limit, CancellationToken cancellationToken);
    /// <summary>The workspace's channels with id greater than <paramref name="afterId"/>, by id.</summary>
    Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId, long afterId, int limit, CancellationToken cancellationToken);
    /// <summary>The workspace's members with user id greater than <paramref name="afterUserId"/>, by user id.</summary>
    Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId, long afterUserId, int limit, CancellationToken cancellationToken);
    /// <summary>
    /// Users other than <paramref name="userId"/> who share at least one workspace with them and whose username or
    /// display name contains <paramref name="likePattern"/> (an upper-case SQL LIKE pattern, <c>\</c> escaping), with
    /// id greater than <paramref name="afterUserId"/>, by id; no password hash. Reads only the members of the caller's workspaces.
    /// </summary>
    Task<IReadOnlyList<UserRecord>> SearchUsersSharingWorkspaceAsync(long userId, string likePattern, long afterUserId, int limit, CancellationToken cancellationToken);
    /// <summary>The user's DM channels with id greater than <paramref name="afterId"/>, by id, each with the other user.</summary>
    Task<IReadOnlyList<DmChannelRecord>> ListDmChannelsAsync(long userId, long afterId, int limit, CancellationToken cancellationToken);
    /// <summary>The user's DM conversations below <paramref name="before"/> in newest-activity order (<see cref="ActivityKey"/>).</summary>
    Task<IReadOnlyList<ConversationRecord>> ListConversationsAsync(long userId, ActivityKey? before, int limit, int unreadLimit, CancellationToken cancellationToken);

    Task<AppendResult> AppendMessageAsync(NewMessage message, CancellationToken cancellationToken);
    /// <summary>The author's message with this clientMsgId in the channel, or null.</summary>
    Task<StoredMessage?> FindMessageByClientMsgIdAsync(long channelId, long authorId, string clientMsgId, CancellationToken cancellationToken);
    /// <summary>A message by id, including a deleted one (callers check <see cref="StoredMessage.Deleted"/>).</summary>
    Task<StoredMessage?> GetMessageAsync(long id, CancellationToken cancellationToken);
    /// <summary>Up to <paramref name="limit"/> newest messages older than message <paramref name="beforeId"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<StoredMessage>> ListMessagesBeforeAsync(long channelId, long? beforeId, int limit, CancellationToken cancellationToken);
    /// <summary>Up to <paramref name="limit"/> (at least 1) messages with seq greater than <paramref name="afterSeq"/>, in seq order; deleted ones are left out.</summary>
    Task<IReadOnlyList<StoredMessage>> ListMessagesAfterSeqAsync(long channelId, long afterSeq, int limit, CancellationToken cancellationToken);
    /// <summary>
    /// Where a bounded replay starts: the seq of the newest message (not deleted) with <c>afterSeq &lt; seq ≤ upToSeq</c>
    /// that is older than the <paramref name="keep"/> (at least 1) newest such messages, or null when there are at most
    /// <paramref name="keep"/>. Reads at most <paramref name="keep"/> + 1 index entries, however long the history.
    /// </summary>
    Task<long?> FindSeqBeforeNewestAsync(long channelId, long afterSeq, long upToSeq, int keep, CancellationToken cancellationToken);
    /// <summary>Marks the message deleted; false when it did not exist or was already deleted.</summary>
    Task<bool> DeleteMessageAsync(long messageId, DateTime now, CancellationToken cancellationToken);
    /// <summary>
    /// Replaces the content of a message that is not deleted and sets its edit time; its <c>seq</c>, id and creation
    /// time stay. The message as stored now, or null when it did not exist or was deleted (also by a delete that
    /// committed first). Ordered with deletes of the same message: a deleted message is never edited back to life.
    /// </summary>
    Task<StoredMessage?> EditMessageAsync(long messageId, string content, DateTime editedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Advances the user's read cursor of the message's channel to the message's seq; never moves it back. True when
    /// it moved (the message was not read before), false when the cursor was already at or past it.
    /// </summary>
    Task<bool> MarkReadAsync(long messageId, long userId, DateTime now, CancellationToken cancellationToken);
    /// <summary>The highest seq the user has read in the channel (0 when none).</summary>
    Task<long> GetReadCursorAsync(long channelId, long userId, CancellationToken cancellationToken);
    /// <summary>
    /// Readers of each message, by message id (messages nobody read are absent): every user other than its author
    /// whose read cursor in its channel is at or past its seq, by user id. One query per channel of the messages,
    /// reading only the cursors at or past the lowest seq asked for.
    /// </summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<long>>> GetReadersAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken);
    /// <summary>
    /// Messages of the channel after the user's read cursor, not deleted and not written by the user, counted up to
    /// <paramref name="limit"/> (an index range that stops there, so the cost does not grow with history).
    /// </summary>
    Task<int> CountUnreadAsync(long channelId, long userId, int limit, CancellationToken cancellationToken);

    /// <summary>Pins a message; false when already pinned.</summary>
    Task<bool> PinAsync(long channelId, long messageId, long userId, DateTime now, CancellationToken cancellationToken);
    /// <summary>Unpins a message; false when it was not pinned.</summary>
    Task<bool> UnpinAsync(long channelId, long messageId, CancellationToken cancellationToken);
    Task<IReadOnlyList<StoredMessage>> ListPinnedAsync(long channelId, CancellationToken cancellationToken);
    /// <summary>Pinned messages that are not deleted, in pin order, strictly after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<PinnedMessage>> ListPinnedAsync(long channelId, PinKey? after, int limit, CancellationToken cancellationToken);
}
