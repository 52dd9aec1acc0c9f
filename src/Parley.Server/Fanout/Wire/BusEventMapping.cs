using Parley.Server.Storage;

namespace Parley.Server.Fanout.Wire;

/// <summary>
/// The edge between the core's events and what travels between nodes: every <see cref="ChatEvent"/> kind has one
/// <see cref="BusEvent"/> and back (a test checks that none is missing). Storage records are copied field by field
/// here, so a storage change shows up as a compile error in this file, not as a silent change of the inter-node format.
/// </summary>
public static class BusEventMapping
{
    public static BusEvent ToBus(ChatEvent chatEvent) => chatEvent switch
    {
        MessageCreated e => new BusMessageCreated(ToBus(e.Message), ToBus(e.Channel)) { EventId = e.EventId },
        MessageDeleted e => new BusMessageDeleted(e.MessageId, ToBus(e.Channel)) { EventId = e.EventId },
        MessageUpdated e => new BusMessageUpdated(ToBus(e.Message), e.ReadBy, ToBus(e.Channel)) { EventId = e.EventId },
        MessageRead e => new BusMessageRead(e.MessageId, e.ReaderId, e.AuthorId, ToBus(e.Channel), e.ReadAt, e.OriginSocketId) { EventId = e.EventId },
        PinChanged e => new BusPinChanged(e.MessageId, ToBus(e.Channel), e.Pinned, e.ByUserId, e.At) { EventId = e.EventId },
        TypingChanged e => new BusTypingChanged(e.UserId, e.Username, ToBus(e.Channel), e.Started) { EventId = e.EventId },
        DirectTypingStarted e => new BusDirectTypingStarted(e.UserId, e.Username, e.RecipientId) { EventId = e.EventId },
        PresenceChanged e => new BusPresenceChanged(e.UserId, e.Username, e.ChannelId, e.ChannelWorkspaceId, e.Online) { EventId = e.EventId },
        ChannelCreated e => new BusChannelCreated(ToBus(e.Channel)) { EventId = e.EventId },
        WorkspaceCreated e => new BusWorkspaceCreated(new BusWorkspace(e.Workspace.Id, e.Workspace.Name, e.Workspace.Description, e.Workspace.OwnerId, e.Workspace.CreatedAt)) { EventId = e.EventId },
        MemberAdded e => new BusMemberAdded(e.Workspace, e.UserId) { EventId = e.EventId },
        MemberRemoved e => new BusMemberRemoved(e.Workspace, e.UserId) { EventId = e.EventId },
        CredentialRevoked e => new BusCredentialRevoked(e.CredentialHash) { EventId = e.EventId },
        UserDisconnected e => new BusUserDisconnected(e.UserId) { EventId = e.EventId },
        UserProfileChanged e => new BusUserProfileChanged(e.UserId) { EventId = e.EventId },
        GatewaySessionClaimed e => new BusGatewaySessionClaimed(e.SessionId, e.ClaimId) { EventId = e.EventId },
        _ => throw new ArgumentOutOfRangeException(nameof(chatEvent), chatEvent.GetType().Name, "No wire record for this event."),
    };

    public static ChatEvent ToChatEvent(BusEvent busEvent) => busEvent switch
    {
        BusMessageCreated e => new MessageCreated(ToStored(e.Message), ToRecord(e.Channel)) { EventId = e.EventId },
        BusMessageDeleted e => new MessageDeleted(e.MessageId, ToRecord(e.Channel)) { EventId = e.EventId },
        BusMessageUpdated e => new MessageUpdated(ToStored(e.Message), e.ReadBy, ToRecord(e.Channel)) { EventId = e.EventId },
        BusMessageRead e => new MessageRead(e.MessageId, e.ReaderId, e.AuthorId, ToRecord(e.Channel), e.ReadAt, e.OriginSocketId) { EventId = e.EventId },
        BusPinChanged e => new PinChanged(e.MessageId, ToRecord(e.Channel), e.Pinned, e.ByUserId, e.At) { EventId = e.EventId },
        BusTypingChanged e => new TypingChanged(e.UserId, e.Username, ToRecord(e.Channel), e.Started) { EventId = e.EventId },
        BusDirectTypingStarted e => new DirectTypingStarted(e.UserId, e.Username, e.RecipientId) { EventId = e.EventId },
        BusPresenceChanged e => new PresenceChanged(e.UserId, e.Username, e.ChannelId, e.ChannelWorkspaceId, e.Online) { EventId = e.EventId },
        BusChannelCreated e => new ChannelCreated(ToRecord(e.Channel)) { EventId = e.EventId },
        BusWorkspaceCreated e => new WorkspaceCreated(new WorkspaceRecord(e.Workspace.Id, e.Workspace.Name, e.Workspace.Description, e.Workspace.OwnerId, e.Workspace.CreatedAt)) { EventId = e.EventId },
        BusMemberAdded e => new MemberAdded(e.Workspace, e.UserId) { EventId = e.EventId },
        BusMemberRemoved e => new MemberRemoved(e.Workspace, e.UserId) { EventId = e.EventId },
        BusCredentialRevoked e => new CredentialRevoked(e.CredentialHash) { EventId = e.EventId },
        BusUserDisconnected e => new UserDisconnected(e.UserId) { EventId = e.EventId },
        BusUserProfileChanged e => new UserProfileChanged(e.UserId) { EventId = e.EventId },
        BusGatewaySessionClaimed e => new GatewaySessionClaimed(e.SessionId, e.ClaimId) { EventId = e.EventId },
        _ => throw new ArgumentOutOfRangeException(nameof(busEvent), busEvent.GetType().Name, "No core event for this wire record."),
    };

    private static BusMessage ToBus(StoredMessage m) =>
        new(m.Id, m.ChannelId, m.Seq, m.AuthorId, m.AuthorUsername, m.Content, m.MessageType, m.FileUrl, m.ClientMsgId, m.CreatedAt, m.Deleted, m.EditedAt);

    private static StoredMessage ToStored(BusMessage m) =>
        new(m.Id, m.ChannelId, m.Seq, m.AuthorId, m.AuthorUsername, m.Content, m.MessageType, m.FileUrl, m.ClientMsgId, m.CreatedAt, m.Deleted, m.EditedAt);

    private static BusChannel ToBus(ChannelRecord c) =>
        new(c.Id, c.WorkspaceId, c.Name, c.Type, c.Subject, c.DmUserLow, c.DmUserHigh, c.LastSeq, c.CreatedAt);

    private static ChannelRecord ToRecord(BusChannel c) =>
        new(c.Id, c.WorkspaceId, c.Name, c.Type, c.Subject, c.DmUserLow, c.DmUserHigh, c.LastSeq, c.CreatedAt);
}
