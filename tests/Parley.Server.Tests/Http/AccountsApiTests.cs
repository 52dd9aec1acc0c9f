using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>POST /api/auth/register and /login, GET /api/auth/me and /api/users/me.</summary>
public sealed class AccountsApiTests : HttpTestBase
{
    private const string Password = "correct horse";

    private async Task<(HttpStatusCode Status, JsonElement Body)> RegisterAsync(object body)
    {
        using var anonymous = ApiClient.Anonymous(Server);
        return await anonymous.PostAsync("/api/auth/register", body);
    }

    [Fact]
    public async Task RegisterIs201WithTheUser()
    {
        var (status, user) = await RegisterAsync(new { username = "ana", password = Password, displayName = " Ana B ", role = "teacher" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(user.GetProperty("id").GetInt64() > 0);
        Assert.Equal("ana", user.GetProperty("username").GetString());
        Assert.Equal("Ana B", user.GetProperty("displayName").GetString());
        Assert.Equal("teacher", user.GetProperty("role").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", user.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task RegisterDefaultsRoleToStudentAndDisplayNameToUsername()
    {
        var (status, user) = await RegisterAsync(new { username = "ben", password = Password });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("student", user.GetProperty("role").GetString());
        Assert.Equal("ben", user.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task RegisterWithUnknownRoleIs400()
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { username = "ana", password = Password, role = "admin" }));
    }

    [Theory]
    [InlineData("carla", "CARLA")]
    [InlineData("Dan.Smith", "dan.smith")]
    [InlineData("eve", "eve")]
    public async Task UsernamesAreUniqueCaseInsensitively(string first, string second)
    {
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(new { username = first, password = Password })).Status);

        ApiAssert.Error(HttpStatusCode.Conflict, await RegisterAsync(new { username = second, password = "another password" }));
    }

    [Fact]
    public async Task ConcurrentRegistrationsOfOneNameCreateOneUser()
    {
        var names = new[] { "race", "RACE", "Race", "rAce", "raCE" };

        var answers = await Task.WhenAll(names.Select(username => RegisterAsync(new { username, password = Password })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => ApiAssert.Error(HttpStatusCode.Conflict, a));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    [InlineData("a.b-c_d")]
    [InlineData("User_2024")]
    public async Task UsernamesOf3To32LettersDigitsAndUnderscoreDotDashAreAccepted(string username)
    {
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(new { username, password = Password })).Status);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("slash/name")]
    [InlineData("at@sign")]
    [InlineData("<script>")]
    [InlineData("")]
    public async Task UsernamesOutsideTheRulesAre400(string username)
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { username, password = Password }));
    }

    [Fact]
    public async Task MissingUsernameIs400()
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { password = Password }));
    }

    [Fact]
    public async Task PasswordShorterThan8Is400()
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { username = "ana", password = "1234567" }));
    }

    [Fact]
    public async Task PasswordOfExactly8IsAccepted()
    {
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(new { username = "ana", password = "12345678" })).Status);
    }

    [Fact]
    public async Task PasswordOver1024CharactersIs400()
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { username = "ana", password = new string('p', 1025) }));
    }

    [Fact]
    public async Task DisplayNameOver64CharactersIs400()
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { username = "ana", password = Password, displayName = new string('d', 65) }));
    }

    [Fact]
    public async Task MissingPasswordIs400()
    {
        ApiAssert.Error(HttpStatusCode.BadRequest, await RegisterAsync(new { username = "ana" }));
    }

    [Fact]
    public async Task LoginIs200WithTheUser()
    {
        var (_, registered) = await RegisterAsync(new { username = "ana", password = Password });
        using var client = ApiClient.Anonymous(Server);

        var (status, user) = await client.PostAsync("/api/auth/login", new { username = "ana", password = Password });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(registered.GetProperty("id").GetInt64(), user.GetProperty("id").GetInt64());
        Assert.Equal("ana", user.GetProperty("username").GetString());
        Assert.NotEmpty(client.SessionId());
    }

    [Fact]
    public async Task LoginAcceptsTheUsernameInAnyCase()
    {
        await RegisterAsync(new { username = "Ana", password = Password });
        using var client = ApiClient.Anonymous(Server);

        var (status, user) = await client.PostAsync("/api/auth/login", new { username = "aNA", password = Password });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Ana", user.GetProperty("username").GetString());
    }

    [Fact]
    public async Task LoginWithWrongPasswordIs401()
    {
        await RegisterAsync(new { username = "ana", password = Password });
        using var client = ApiClient.Anonymous(Server);

        var response = await client.PostAsync("/api/auth/login", new { username = "ana", password = "wrong password" });

        ApiAssert.Error(HttpStatusCode.Unauthorized, response);
        Assert.Equal("Invalid credentials", response.Body.GetProperty("message").GetString());
        Assert.Empty(client.Cookies.GetCookies(Server.BaseAddress));
    }

    [Fact]
    public async Task LoginWithUnknownUsernameIs401WithTheSameAnswer()
    {
        using var client = ApiClient.Anonymous(Server);

        var response = await client.PostAsync("/api/auth/login", new { username = "nobody", password = Password });

        ApiAssert.Error(HttpStatusCode.Unauthorized, response);
        Assert.Equal("Invalid credentials", response.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task LoginWithoutPasswordIs400()
    {
        using var client = ApiClient.Anonymous(Server);

        ApiAssert.Error(HttpStatusCode.BadRequest, await client.PostAsync("/api/auth/login", new { username = "ana" }));
    }

    [Theory]
    [InlineData("/api/auth/me")]
    [InlineData("/api/users/me")]
    public async Task MeIsTheCurrentUser(string path)
    {
        var ana = await UserAsync("ana");

        var (status, user) = await ana.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ana.UserId, user.GetProperty("id").GetInt64());
        Assert.Equal(ana.Username, user.GetProperty("username").GetString());
        Assert.Equal("student", user.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("/api/auth/me")]
    [InlineData("/api/users/me")]
    public async Task MeWithoutSessionIs401(string path)
    {
        using var anonymous = ApiClient.Anonymous(Server);

        ApiAssert.Error(HttpStatusCode.Unauthorized, await anonymous.GetAsync(path));
    }

    [Fact]
    public async Task MeWithAnUnknownSessionIdIs401()
    {
        var response = await RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me")
            .WithCookie(ApiClientExtensions.SessionCookieName, "ps_not-a-real-session")
            .SendAsync();

        ApiAssert.Error(HttpStatusCode.Unauthorized, response);
    }
}
