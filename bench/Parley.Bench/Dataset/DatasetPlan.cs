namespace Parley.Bench.Dataset;

/// <summary>
/// Everything the generator writes: the tables, in an order where each row's references exist already, then the one
/// existing row it changes, the measured channel, whose <c>last_seq</c>, <c>activity_at</c> (Unix ms) and
/// <c>last_message_id</c> become what its appends would have left; and where the measured operations point.
/// </summary>
internal sealed record DatasetPlan(
    IReadOnlyList<DatasetTable> Tables, long ChannelId, long LastSeq, long ActivityAt, long LastMessageId, DatasetLandmarks Landmarks)
{
    /// <summary>The change of the measured channel, parameters $1 (id) to $4 (last_message_id).</summary>
    public const string UpdateChannelSql = "UPDATE channels SET last_seq = $2, activity_at = $3, last_message_id = $4 WHERE id = $1";
}
