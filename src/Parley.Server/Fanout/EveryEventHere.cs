namespace Parley.Server.Fanout;

/// <summary>The single-node bus delivers every event here anyway: interest changes nothing.</summary>
public sealed class EveryEventHere : IBusInterest
{
    public void Add(BusInterest interest)
    {
    }

    public void Remove(BusInterest interest)
    {
    }

    public Task<bool> RegisteredAsync() => Task.FromResult(true);
}
