using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// A family's social business case as CSV (issue 21): <c>GET /businesscase/csv/{patientId}?gezinstype=</c> streams the
/// Api's <c>/api/dossiers/{id}/business-case/export</c> (UTF-8 with BOM, <c>;</c> for Dutch Excel) through
/// <see cref="ApiDownload"/>. The Api decides (the same consent as the case itself) and names the file.
/// </summary>
public static class BusinessCaseFiles
{
    public static WebApplication MapBusinessCaseFiles(this WebApplication app)
    {
        app.MapGet("/businesscase/csv/{patientId}", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string patientId, int? gezinstype) =>
            ApiDownload.StreamAsync(http, factory, tokens,
                $"api/dossiers/{Uri.EscapeDataString(patientId)}/business-case/export{(gezinstype is { } t ? $"?gezinstype={t}" : "")}",
                "U bent afgemeld. Meld u opnieuw aan om de businesscase te downloaden.", "businesscase.csv"));
        return app;
    }
}
