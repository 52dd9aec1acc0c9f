using System.Reflection;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Server.Chat;

namespace Parley.Server.Tests.Architecture;

/// <summary>
/// The core answers in its own records and each door maps them to its wire shape (docs/architecture.md, "What each
/// folder may use"): no type under <c>Parley.Server.Chat</c>, <c>Workspaces</c>, <c>Accounts</c> or <c>Sessions</c> may
/// use a type of <c>Parley.Protocol</c>'s sub-namespaces (<c>Chat</c>, <c>Direct</c>, <c>Gateway</c>: the records and
/// event types each protocol writes, and <c>Json</c>: their serialization), in its signatures or in its code. The
/// closed code sets at the root of <c>Parley.Protocol</c> (<see cref="ErrorCodes"/>, <see cref="CloseCodes"/>) are
/// the vocabulary every door shares, and a <see cref="ChatError"/> carries an <see cref="ErrorCodes"/> code: the core
/// may use those.
/// </summary>
public sealed class CoreDoesNotUseWireRecordsTests
{
    private static readonly Assembly Server = typeof(ChatService).Assembly;

    private static readonly string[] CoreNamespaces =
        ["Parley.Server.Chat", "Parley.Server.Workspaces", "Parley.Server.Accounts", "Parley.Server.Sessions"];

    [Fact]
    public void NoCoreTypeUsesAWireRecord()
    {
        var core = Server.GetTypes()
            .Where(t => !t.IsNested && CoreNamespaces.Any(ns => InNamespace(t, ns)))
            .ToList();
        Assert.Contains(core, t => t.Name == "ChatService");
        Assert.Contains(core, t => t.Name == "ChatQueries");
        Assert.Contains(core, t => t.Name == "WorkspaceService");
        Assert.Contains(core, t => t.Name == "AccountService");
        Assert.Contains(core, t => t.Name == "SessionService");

        var offenders = core.SelectMany(t => TypeReferenceScan.Find(t, IsWireRecord).Select(where => $"{t.FullName}: {where}")).ToList();

        Assert.True(offenders.Count == 0, "Core types that use wire records:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheScanFindsWireRecordsWhereAnAdapterUsesThem()
    {
        // The /ws/chat encoder takes a ChatMessage in a signature, the conversations list builds MessagePal's records
        // in a handler's body: if the scan missed such uses, the test above could not fail.
        Assert.NotEmpty(TypeReferenceScan.Find(Server.GetType("Parley.Server.Realtime.Chat.ChatFrames")!, IsWireRecord));
        Assert.NotEmpty(TypeReferenceScan.Find(Server.GetType("Parley.Server.Messages.ConversationsApi")!, IsWireRecord));
        // And the codes the core may use are not counted: ChatError is built from ErrorCodes.
        Assert.Empty(TypeReferenceScan.Find(typeof(ChatError), IsWireRecord));
        Assert.True(IsWireRecord(typeof(ChatMessage)));
    }

    private static bool IsWireRecord(Type type) =>
        type.Assembly == typeof(ErrorCodes).Assembly && type.Namespace != typeof(ErrorCodes).Namespace;

    private static bool InNamespace(Type type, string name) =>
        type.Namespace is { } ns && (ns == name || ns.StartsWith(name + ".", StringComparison.Ordinal));
}
