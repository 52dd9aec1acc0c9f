using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Server.Fanout;
using Parley.Server.Fanout.Wire;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Fanout;

/// <summary>
/// What nodes send each other is the bus's own records (<see cref="BusEvent"/>), in the JSON shape of the version before
/// them, so that nodes of both versions understand each other and a storage change cannot change it unnoticed.
/// </summary>
public sealed class BusWireFormatTests
{
    // As the Redis bus encodes (RedisMessageBus: web defaults).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly DateTime T0 = new(2026, 11, 26, 17, 3, 0, 123, DateTimeKind.Utc);
    private static readonly ChannelRecord Channel = new(7, 3, "general", ChannelTypes.Text, "topic", null, null, 41, T0);
    private static readonly StoredMessage Message = new(100, 7, 42, 5, "ana", "hello", "text", null, "k1", T0, false, T0.AddSeconds(1));

    /// <summary>One event of every kind the core has.</summary>
    private static ChatEvent[] Events() =>
    [
        new MessageCreated(Message, Channel),
        new MessageDeleted(100, Channel),
        new MessageUpdated(Message, [6, 8], Channel),
        new MessageRead(100, 6, 5, Channel, T0, Guid.NewGuid()),
        new PinChanged(100, Channel, true, 5, T0),
        new TypingChanged(5, "ana", Channel, true),
        new DirectTypingStarted(5, "ana", 6),
        new PresenceChanged(5, "ana", 7, 3, true),
        new ChannelCreated(Channel),
        new WorkspaceCreated(new WorkspaceRecord(3, "team", "ours", 5, T0)),
        new MemberAdded(3, 6),
        new MemberRemoved(3, 6),
        new CredentialRevoked("hash"),
        new UserDisconnected(5),
        new UserProfileChanged(5),
        new GatewaySessionClaimed("session", Guid.NewGuid()),
    ];

    public static TheoryData<ChatEvent> EveryKind() => [.. Events()];

    [Fact]
    public void EveryKindOfCoreEventHasAWireRecord()
    {
        var kinds = typeof(ChatEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ChatEvent)) && !t.IsAbstract).ToHashSet();
        var covered = Events().Select(e => e.GetType()).ToHashSet();
        Assert.Equal(kinds.OrderBy(t => t.Name).Select(t => t.Name), covered.OrderBy(t => t.Name).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void AnEventSurvivesTheTripBetweenNodes(ChatEvent chatEvent)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(BusEventMapping.ToBus(chatEvent), Json);
        var received = BusEventMapping.ToChatEvent(JsonSerializer.Deserialize<BusEvent>(payload, Json)!);

        Assert.Equal(chatEvent.GetType(), received.GetType());
        Assert.Equal(chatEvent.EventId, received.EventId);
        // Records hold a per-instance frame cache; everything else must be equal.
        Assert.Equal(chatEvent with { }, received with { }, new IgnoringFrames());
    }

    [Fact]
    public void AMessageTravelsWithTheFieldNamesOfThePreviousVersion()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(BusEventMapping.ToBus(new MessageCreated(Message, Channel)), Json))!.AsObject();

        Assert.Equal(["channel", "eventId", "kind", "message"], json.Select(p => p.Key).Order());
        Assert.Equal("message_created", (string?)json["kind"]);
        Assert.Equal(
            ["authorId", "authorUsername", "channelId", "clientMsgId", "content", "createdAt", "deleted", "editedAt", "fileUrl", "id", "messageType", "seq"],
            json["message"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(
            ["createdAt", "dmUserHigh", "dmUserLow", "id", "lastSeq", "name", "subject", "type", "workspaceId"],
            json["channel"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public void APublicationOfThePreviousVersionIsUnderstood()
    {
        // Written by a node of the version before the wire records: storage records serialized as they were, with the
        // channel's computed isDm, which this version no longer sends and ignores.
        const string previous = """
            {"kind":"message_created","message":{"id":100,"channelId":7,"seq":42,"authorId":5,"authorUsername":"ana","content":"hello",
            "messageType":"text","fileUrl":null,"clientMsgId":"k1","createdAt":"2026-11-26T17:03:00.123Z","deleted":false,"editedAt":"2026-11-26T17:03:01.123Z"},
            "channel":{"id":7,"workspaceId":3,"name":"general","type":"text","subject":"topic","dmUserLow":null,"dmUserHigh":null,"lastSeq":41,
            "createdAt":"2026-11-26T17:03:00.123Z","isDm":false},"eventId":"0b1f6a8e-3c1d-4d2e-9f00-5a6b7c8d9e0f"}
            """;

        var received = Assert.IsType<MessageCreated>(BusEventMapping.ToChatEvent(JsonSerializer.Deserialize<BusEvent>(previous, Json)!));

        Assert.Equal(Message, received.Message);
        Assert.Equal(Channel, received.Channel);
        Assert.Equal(Guid.Parse("0b1f6a8e-3c1d-4d2e-9f00-5a6b7c8d9e0f"), received.EventId);
    }

    /// <summary>Compares two events by their wire JSON, which leaves out the per-instance frame cache.</summary>
    private sealed class IgnoringFrames : IEqualityComparer<ChatEvent>
    {
        public bool Equals(ChatEvent? x, ChatEvent? y) =>
            x is not null && y is not null && x.GetType() == y.GetType() &&
            JsonSerializer.Serialize(x, x.GetType(), Json) == JsonSerializer.Serialize(y, y.GetType(), Json);

        public int GetHashCode(ChatEvent obj) => obj.GetType().GetHashCode();
    }
}
