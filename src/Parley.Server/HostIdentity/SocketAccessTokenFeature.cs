namespace Parley.Server.HostIdentity;

/// <summary>
/// A socket upgrade's host JWT (<c>?access_token=</c> or the Authorization header), handed to the JwtBearer handler
/// for one authentication (<see cref="SocketJwtAuthenticator"/>), then removed.
/// </summary>
internal sealed record SocketAccessTokenFeature(string Token);
