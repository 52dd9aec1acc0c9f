namespace Parley.Server.Fanout;

/// <summary>
/// Holds an event's encoded frame for each wire shape, built by the first recipient that needs it. A race
/// between two first recipients only encodes twice; both results are equal and an array reference is
/// published atomically, so no lock is needed.
/// </summary>
public sealed class EncodedFrames
{
    private readonly byte[]?[] _frames = new byte[]?[3];

    public byte[] GetOrAdd<TState>(WireShape shape, TState state, Func<TState, byte[]> encode)
    {
        var cached = Volatile.Read(ref _frames[(int)shape]);
        if (cached is not null)
        {
            return cached;
        }
        var encoded = encode(state);
        Volatile.Write(ref _frames[(int)shape], encoded);
        return encoded;
    }
}

/// <summary>The wire shapes an event can be encoded into.</summary>
public enum WireShape
{
    Chat = 0,
    Direct = 1,
    Gateway = 2,
}
