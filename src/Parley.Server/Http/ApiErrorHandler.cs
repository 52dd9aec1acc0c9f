namespace Parley.Server.Http;

/// <summary>
/// Turns request-binding failures (malformed JSON, wrong field types, a body over the size cap) into the
/// API's <c>{"message"}</c> answer, and unexpected exceptions into a 500 that reveals nothing.
/// </summary>
public sealed partial class ApiErrorHandler(RequestDelegate next, ILogger<ApiErrorHandler> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
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

    [LoggerMessage(1000, LogLevel.Error, "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception exception);
}
