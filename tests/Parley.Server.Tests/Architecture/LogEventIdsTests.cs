using System.Reflection;
using Microsoft.Extensions.Logging;
using Parley.Server.Chat;

namespace Parley.Server.Tests.Architecture;

/// <summary>Every log message has an id of its own, inside the block <c>LogEventIds</c> gives its area.</summary>
public sealed class LogEventIdsTests
{
    private static readonly Assembly Server = typeof(ChatService).Assembly;

    private static readonly IReadOnlyList<(Type Log, string Method, int Id)> Messages =
        [.. from type in Server.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
            where attribute is not null
            select (type, method.Name, attribute.EventId)];

    private static readonly IReadOnlyDictionary<string, int> Blocks =
        Server.GetType("Parley.Server.LogEventIds", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != "BlockSize")
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);

    [Fact]
    public void NoTwoLogMessagesShareAnId()
    {
        Assert.True(Messages.Count >= 40, $"Only {Messages.Count} log messages found: the scan is broken.");
        var shared = Messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Log.Name}.{m.Method}"))}");

        Assert.Empty(shared);
    }

    [Fact]
    public void EveryLogMessageLiesInItsAreasBlock()
    {
        Assert.Equal(Blocks.Count, Blocks.Values.Distinct().Count());
        var outside = new List<string>();
        foreach (var (log, method, id) in Messages)
        {
            // An area's log class is named after its block (ChatLog → Chat); the error handler logs for Http.
            var area = log.Name.EndsWith("Log", StringComparison.Ordinal) ? log.Name[..^3] : "Http";
            if (!Blocks.TryGetValue(area, out var start) || id < start || id >= start + 100)
            {
                outside.Add($"{log.Name}.{method}: {id}");
            }
        }

        Assert.Empty(outside);
    }
}
