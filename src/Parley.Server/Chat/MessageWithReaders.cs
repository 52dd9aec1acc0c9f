using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>
/// A stored message and who has read it: what the core answers with for a send, an edit, history, pins, replay and
/// a gap fill. Each door writes it in its own wire shape (<c>Parley.Server.Wire</c>), so the core never builds one.
/// </summary>
/// <param name="Message">The message as stored.</param>
/// <param name="ReadBy">Ids of the users other than its author who have read it (empty for a message just sent).</param>
public sealed record MessageWithReaders(StoredMessage Message, IReadOnlyList<long> ReadBy);
