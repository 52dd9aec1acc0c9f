namespace Parley.Bench.Clients;

/// <summary>One simulated user's socket: opened (connected, authenticated, joined), then receiving until aborted.</summary>
internal interface IBenchClient
{
    int Index { get; }

    int Channel { get; }

    bool IsOpen { get; }

    /// <summary>Why it closed, when it did.</summary>
    string? CloseReason { get; }

    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Receives until the socket closes; a null sink only drains (idle sockets).</summary>
    Task ReceiveAsync(IDeliverySink? sink);

    /// <summary>Sends benchmark message <paramref name="id"/>, stamped with the time it goes out.</summary>
    ValueTask SendAsync(long id);

    ValueTask PingAsync();

    void Abort();
}
