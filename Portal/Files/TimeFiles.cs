using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// A supporter's own time of one month as CSV: <c>GET /tijd/csv/{yyyy-MM}</c> streams the Api's
/// <c>/api/time/export?month=</c> (UTF-8 with BOM, <c>;</c> for Dutch Excel) through <see cref="ApiDownload"/>. The Api
/// decides (only the caller's own entries) and names the file.
/// </summary>
public static class TimeFiles
{
    public static WebApplication MapTimeFiles(this WebApplication app)
    {
        app.MapGet("/tijd/csv/{month:regex(^\\d{{4}}-\\d{{2}}$)}", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string month) =>
            ApiDownload.StreamAsync(http, factory, tokens, $"api/time/export?month={Uri.EscapeDataString(month)}",
                "U bent afgemeld. Meld u opnieuw aan om uw tijd te downloaden.", $"tijd-{month}.csv"));
        return app;
    }
}
