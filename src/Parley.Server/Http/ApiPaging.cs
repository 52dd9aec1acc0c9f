using System.Globalization;
using Parley.Server.Chat;

namespace Parley.Server.Http;

/// <summary>
/// The paging contract of the HTTP lists: <c>?limit=&amp;cursor=</c> in; the body stays the JSON array old clients
/// parse, and the next page is named in headers: <c>X-Next-Cursor</c> and <c>Link: &lt;…&gt;; rel="next"</c>
/// (RFC 8288), both absent on the last page.
/// </summary>
public static class ApiPaging
{
    public const string NextCursorHeader = "X-Next-Cursor";

    /// <summary>The page asked for, or a 400 when <c>limit</c> is not an integer. Limits are clamped to 1..max.</summary>
    public static bool TryRead(HttpContext context, ChatOptions options, out PageRequest page, out IResult? error)
    {
        var query = context.Request.Query;
        var limitText = query["limit"].ToString();
        var cursor = query["cursor"].ToString();
        page = default;
        error = null;
        var limit = (long)options.DefaultListLimit;
        if (limitText.Length > 0 && !long.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
        {
            error = ApiResults.BadRequest("limit must be an integer.");
            return false;
        }
        page = new PageRequest((int)Math.Clamp(limit, 1, options.MaxListLimit), cursor.Length == 0 ? null : cursor);
        return true;
    }

    /// <summary>Names the next page in the response headers, when there is one.</summary>
    public static void AddNextPage(HttpContext context, PageRequest page, string? nextCursor)
    {
        if (nextCursor is null)
        {
            return;
        }
        var request = context.Request;
        var next = $"{request.PathBase}{request.Path}?limit={page.Limit.ToString(CultureInfo.InvariantCulture)}&cursor={Uri.EscapeDataString(nextCursor)}";
        context.Response.Headers[NextCursorHeader] = nextCursor;
        context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
    }

    /// <summary>200 with the page's items as the body (a JSON array), the next page in the headers.</summary>
    public static IResult Ok<T, TView>(HttpContext context, PageRequest request, Page<T> page, Func<T, TView> view)
    {
        AddNextPage(context, request, page.NextCursor);
        return Results.Ok(page.Items.Select(view).ToList());
    }
}
