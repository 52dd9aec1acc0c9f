using System.Globalization;
using Parley.Protocol;
using Parley.Server.Chat;

namespace Parley.Server.Http;

/// <summary>The HTTP API's error answers: <c>{"message": …}</c> with the fitting status.</summary>
public static class ApiResults
{
    public static IResult Error(int status, string message) => Results.Json(new ApiMessage(message), statusCode: status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static IResult Unauthorized() => Error(StatusCodes.Status401Unauthorized, "Authentication required");

    public static IResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string message)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status429TooManyRequests, message);
    }

    public static IResult From(HttpContext context, ChatError error) => error.Code switch
    {
        ErrorCodes.NotFound => Error(StatusCodes.Status404NotFound, error.Message),
        ErrorCodes.Forbidden or ErrorCodes.NotJoined => Error(StatusCodes.Status403Forbidden, error.Message),
        ErrorCodes.RateLimited => TooManyRequests(context, error.RetryAfter ?? TimeSpan.FromSeconds(1), error.Message),
        ErrorCodes.Unauthorized => Error(StatusCodes.Status401Unauthorized, error.Message),
        ErrorCodes.Internal => Error(StatusCodes.Status500InternalServerError, error.Message),
        ChatError.ConflictCode => Error(StatusCodes.Status409Conflict, error.Message),
        _ => Error(StatusCodes.Status400BadRequest, error.Message),
    };
}
