namespace Parley.Bench.Dataset;

/// <summary>
/// Where the measured operations point in a generated database: the measured channel's messages have consecutive
/// ids (seq s is <see cref="FirstMessageId"/> + s − 1), its owner has read up to <see cref="OwnerReadSeq"/>.
/// </summary>
internal sealed record DatasetLandmarks(long FirstMessageId, long LastSeq, long OwnerReadSeq)
{
    public long MessageId(long seq) => FirstMessageId + seq - 1;
}
