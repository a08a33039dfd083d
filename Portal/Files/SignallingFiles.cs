using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// The landelijk coördinator's CSV of one knelpunt bundle: <c>GET /signalering/{id}/csv</c> streams the Api's
/// <c>/api/signalling/bundles/{id}/export</c> (UTF-8 with BOM, <c>;</c> for Dutch Excel, counts and short descriptions only)
/// through <see cref="ApiDownload"/>. The Api decides (role coordinator) and names the file.
/// </summary>
public static class SignallingFiles
{
    public static WebApplication MapSignallingFiles(this WebApplication app)
    {
        app.MapGet("/signalering/{bundleId:long}/csv", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, long bundleId) =>
            ApiDownload.StreamAsync(http, factory, tokens, $"api/signalling/bundles/{bundleId}/export",
                "U bent afgemeld. Meld u opnieuw aan om het overzicht te downloaden.", $"knelpunt-{bundleId}.csv"));
        return app;
    }
}
