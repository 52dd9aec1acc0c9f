using System.Reflection;
using Parley.Server.Chat;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Architecture;

/// <summary>
/// The socket protocols and the HTTP areas are adapters: they reach the store only through the core's services
/// (DESIGN.md, "The core is the only way to the store"). A type references the store when any field, property,
/// constructor or method parameter, or method local of it or of its nested types (lambdas, async state
/// machines, primary-constructor captures) is typed <see cref="IChatStore"/>, or when its code calls the store
/// (<see cref="TypeReferenceScan"/>).
/// </summary>
public sealed class CoreIsTheOnlyWayToTheStoreTests
{
    private static readonly Assembly Server = typeof(ChatService).Assembly;

    [Fact]
    public void NoRealtimeTypeAndNoApiClassReferencesTheStore()
    {
        var adapters = Server.GetTypes()
            .Where(t => !t.IsNested)
            .Where(t => t.Namespace?.StartsWith("Parley.Server.Realtime", StringComparison.Ordinal) == true || t.Name.EndsWith("Api", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(adapters, t => t.Name == "ChannelsApi");
        Assert.Contains(adapters, t => t.Name == "ChatSocketProtocol");

        var offenders = adapters.SelectMany(t => StoreReferences(t).Select(where => $"{t.FullName}: {where}")).ToList();

        Assert.True(offenders.Count == 0, "Adapters that reach the store around the core:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheScanFindsTheStoreWhereTheCoreUsesIt()
    {
        // The core holds the store in a primary-constructor capture, and its async methods in state machines:
        // if the scan missed these shapes, the test above could not fail.
        Assert.NotEmpty(StoreReferences(typeof(ChatService)));
        Assert.NotEmpty(StoreReferences(typeof(PinService)));
    }

    private static IEnumerable<string> StoreReferences(Type type) => TypeReferenceScan.Find(type, t => t == typeof(IChatStore));
}
