namespace Parley.Server.Fanout;

/// <summary>How thoroughly an <see cref="IBusGapRecovery"/> should catch up.</summary>
public enum BusRecovery
{
    /// <summary>The frequent check: only what is cheap to compare (a channel's newest seq).</summary>
    Periodic,

    /// <summary>After a bus outage, and now and then in case a publisher could not reach the bus: everything.</summary>
    Thorough,
}
