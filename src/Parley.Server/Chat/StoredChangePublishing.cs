using Parley.Server.Fanout;

namespace Parley.Server.Chat;

/// <summary>How the core announces a change it has already stored.</summary>
internal static class StoredChangePublishing
{
    /// <summary>
    /// Publishes <paramref name="chatEvent"/>; a bus failure is logged, not thrown: the change is stored, and whoever
    /// missed the event catches up from the store (by seq for messages; lists such as the pinned one are read afresh).
    /// </summary>
    public static async ValueTask PublishStoredAsync(this IMessageBus bus, ChatEvent chatEvent, ILogger logger)
    {
        try
        {
            await bus.PublishAsync(chatEvent);
        }
        catch (Exception ex)
        {
            ChatLog.PublishFailed(logger, chatEvent.GetType().Name, ex);
        }
    }
}
