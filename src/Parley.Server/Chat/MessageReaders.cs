using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>Pairs stored messages with their readers.</summary>
internal static class MessageReaders
{
    /// <summary>
    /// The messages, in their order, each with its readers: one <see cref="IChatStore.GetReadersAsync"/> call for the
    /// whole page, never one per message.
    /// </summary>
    public static async Task<IReadOnlyList<MessageWithReaders>> WithReadersAsync(
        this IChatStore store, IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken)
    {
        var readers = await store.GetReadersAsync(messages, cancellationToken);
        return [.. messages.Select(m => new MessageWithReaders(m, readers.TryGetValue(m.Id, out var r) ? r : []))];
    }
}
