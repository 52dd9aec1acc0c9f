namespace Parley.Protocol.Gateway;

/// <summary>(ext) The first frame on <c>/gateway</c>: <c>{"op":"HELLO","d":{"heartbeat_interval":N}}</c>.</summary>
/// <param name="D">The heartbeat interval.</param>
public sealed record GatewayHello(GatewayHelloData D)
{
    /// <summary>Always <c>HELLO</c>.</summary>
    public string Op => GatewayOps.Hello;
}
