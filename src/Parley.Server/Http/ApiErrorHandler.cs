using Microsoft.AspNetCore.WebUtilities;

namespace Parley.Server.Http;

/// <summary>
/// Turns request-binding failures (malformed JSON, wrong field types, a body over the size cap, a body that is
/// not JSON) into the API's <c>{"message"}</c> answer, and unexpected exceptions into a 500 that reveals nothing.
/// </summary>
public sealed partial class ApiErrorHandler(RequestDelegate next, ILogger<ApiErrorHandler> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (IsBareError(context))
            {
                // Minimal APIs answer some binding failures with a status and no body (413 for a body over the
                // cap, 415 for one that is not JSON); clients expect every error to carry a message.
                await context.Response.WriteAsJsonAsync(new { message = BareErrorMessage(context.Response.StatusCode) });
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
            await context.Response.WriteAsJsonAsync(new { message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large." : ex.Message });
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new { message = "Internal server error." });
        }
    }

    private static bool IsBareError(HttpContext context) =>
        context.Response.StatusCode >= StatusCodes.Status400BadRequest && !context.Response.HasStarted &&
        context.Response.ContentLength is null && string.IsNullOrEmpty(context.Response.ContentType) &&
        !HttpMethods.IsHead(context.Request.Method);

    private static string BareErrorMessage(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON (Content-Type: application/json).",
        _ => $"{ReasonPhrases.GetReasonPhrase(status)}.",
    };

    [LoggerMessage(LogEventIds.Http + 0, LogLevel.Error, "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception exception);
}
