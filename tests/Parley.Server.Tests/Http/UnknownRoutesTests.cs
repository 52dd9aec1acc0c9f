using System.Net;

namespace Parley.Server.Tests.Http;

/// <summary>Paths and methods no endpoint serves still answer in the API's error shape.</summary>
public sealed class UnknownRoutesTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/workspaces/abc")]
    [InlineData("/api/channels/abc/messages")]
    [InlineData("/api/messagepal/conversations/x/y")]
    public async Task UnknownPathIs404WithAMessage(string path)
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.GetAsync(path));
    }

    [Fact]
    public async Task WrongMethodIs405WithAMessage()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.MethodNotAllowed, await ana.DeleteAsync("/api/workspaces"));
    }
}
