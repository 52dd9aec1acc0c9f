namespace Parley.Server.Fanout;

/// <summary>
/// A claimed gateway session as its holder left it: the last <c>s</c> it numbered and its latest dispatches,
/// oldest first. <see cref="HolderDied"/> when the holder never released it (what it numbered last may be missing).
/// </summary>
internal sealed record MirroredSession(long LastSeq, IReadOnlyList<(long Seq, MirroredDispatch Dispatch)> Dispatches, bool HolderDied);
