using System.Net;
using System.Net.Http.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.HostIdentity;

/// <summary><c>Accounts:AllowRegistration=false</c>: a host that owns its users turns self-registration off.</summary>
public sealed class RegistrationSwitchTests
{
    [Fact]
    public async Task RegisterAnswers403WhenRegistrationIsOff()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Accounts:AllowRegistration"] = "false" });
        using var client = ApiClient.Anonymous(server);

        using var response = await client.Http.PostAsJsonAsync("/api/auth/register", new { username = "someone", password = "password123" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ASigningKeyShorterThan32BytesStopsTheStart()
    {
        var settings = new Dictionary<string, string?> { ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(new byte[16]) };
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ParleyTestServer.StartAsync(settings)).DisposeAsync());
        Assert.Contains("SigningKey", failure.Message);
    }
}
