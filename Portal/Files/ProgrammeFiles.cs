using Pgo.Portal.Api;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// The programme view as CSV (issue 21): <c>GET /programma/csv?from=&amp;to=</c> streams the Api's
/// <c>/api/programme/aggregates.csv</c> (the model version, the period, when it was made; suppressed cells as "&lt; 10
/// gezinnen") through <see cref="ApiDownload"/>. The Api decides (roles coordinator, funder, researcher) and names the file.
/// </summary>
public static class ProgrammeFiles
{
    public static WebApplication MapProgrammeFiles(this WebApplication app)
    {
        app.MapGet("/programma/csv", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens) =>
            ApiDownload.StreamAsync(http, factory, tokens,
                "api/programme/aggregates.csv" + ProgrammeClient.Query(http.Request.Query["from"].FirstOrDefault(), http.Request.Query["to"].FirstOrDefault()),
                "U bent afgemeld. Meld u opnieuw aan om de cijfers te downloaden.", "programma.csv"));
        return app;
    }
}
