using System.Reflection;
using Parley.Server.Chat;
using Parley.Server.Fanout.Redis;

namespace Parley.Server.Tests.Architecture;

/// <summary>
/// The bus and its backends sit below the socket protocols (docs/architecture.md, "What each folder may use"): no type
/// under <c>Parley.Server.Fanout</c> may use a type of <c>Parley.Server.Realtime</c>, in its signatures or in its code.
/// What the two share (the gateway session mirror's port and records) lives under Fanout.
/// </summary>
public sealed class FanoutDoesNotUseRealtimeTests
{
    private static readonly Assembly Server = typeof(ChatService).Assembly;

    [Fact]
    public void NoFanoutTypeUsesARealtimeType()
    {
        var fanout = Server.GetTypes()
            .Where(t => !t.IsNested && InNamespace(t, "Parley.Server.Fanout"))
            .ToList();
        Assert.Contains(fanout, t => t.Name == "RedisGatewaySessionMirror");
        Assert.Contains(fanout, t => t.Name == "InMemoryMessageBus");

        var offenders = fanout.SelectMany(t => TypeReferenceScan.Find(t, IsRealtime).Select(where => $"{t.FullName}: {where}")).ToList();

        Assert.True(offenders.Count == 0, "Fanout types that use Realtime:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheScanFindsRealtimeWhereTheSetupUsesIt()
    {
        // The setup uses Realtime in a method body only (registrations and calls), the gateway protocol in its
        // constructor's signature: if the scan missed either shape, the test above could not fail.
        Assert.NotEmpty(TypeReferenceScan.Find(typeof(ParleyServerSetup), IsRealtime));
        Assert.NotEmpty(TypeReferenceScan.Find(Server.GetType("Parley.Server.Realtime.Gateway.GatewaySocketProtocol")!, t => t == typeof(Parley.Server.Fanout.IGatewaySessionMirror)));
        // And it does look into the code of a Fanout type: the Redis mirror creates the bus's claim event.
        Assert.NotEmpty(TypeReferenceScan.Find(typeof(RedisGatewaySessionMirror), t => t == typeof(Parley.Server.Fanout.GatewaySessionClaimed)));
    }

    private static bool IsRealtime(Type type) => InNamespace(type, "Parley.Server.Realtime");

    private static bool InNamespace(Type type, string name) =>
        type.Namespace is { } ns && (ns == name || ns.StartsWith(name + ".", StringComparison.Ordinal));
}
