using System.Net;
using Pgo.Api.Fhir;
using Pgo.Fhir;

namespace Pgo.Api.Realtime.CoWriting;

/// <summary>
/// Co-writing logbook notes: <c>GET/PUT /api/dossiers/{patientId}/notes/{noteId}</c>, <c>POST /api/dossiers/{patientId}/notes</c>,
/// and <c>GET .../notes/{noteId}/versions</c>: who wrote each version (recorded by the server), and when.
/// A save sends the version it started from; a stale save answers 409 with the current text and, where the edits do
/// not overlap, the merged text to offer (the client saves that with the current version as its base).
/// </summary>
public static class NotesApi
{
    public sealed record NewNote(string Text, string? Title = null);

    public sealed record NoteSave(int BaseVersion, string Text);

    public static IEndpointRouteBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers/{patientId}/notes").RequireAuthorization().WithTags("Notities");
        api.MapGet("/{noteId}", Get);
        api.MapGet("/{noteId}/versions", Versions);
        api.MapPost("/", Create);
        api.MapPut("/{noteId}", Save);
        return app;
    }

    private static async Task<IResult> Get(HttpContext http, NoteService notes, string patientId, string noteId) =>
        await Guard(async () => TypedResults.Ok(await notes.GetAsync(FhirHttp.Context(http), patientId, noteId, http.RequestAborted)));

    /// <summary>Who wrote each version of the note, and when (newest first).</summary>
    private static async Task<IResult> Versions(HttpContext http, NoteService notes, string patientId, string noteId) =>
        await Guard(async () => TypedResults.Ok(await notes.VersionsAsync(FhirHttp.Context(http), patientId, noteId, http.RequestAborted)));

    private static async Task<IResult> Create(HttpContext http, NoteService notes, string patientId, NewNote body)
    {
        if (body.Text is null) return Problem(HttpStatusCode.BadRequest, "Tekst ontbreekt", "Een notitie heeft tekst.");
        return await Guard(async () =>
        {
            var note = await notes.CreateAsync(FhirHttp.Context(http), patientId, body.Title, body.Text, http.RequestAborted);
            return TypedResults.Created($"/api/dossiers/{patientId}/notes/{note.Id}", note);
        });
    }

    private static async Task<IResult> Save(HttpContext http, NoteService notes, string patientId, string noteId, NoteSave body)
    {
        if (body.Text is null || body.BaseVersion < 1)
            return Problem(HttpStatusCode.BadRequest, "Ongeldige aanvraag", "Stuur de tekst en de versie waarop u begon (baseVersion).");
        return await Guard(async () =>
        {
            var (saved, conflict) = await notes.SaveAsync(FhirHttp.Context(http), patientId, noteId, body.BaseVersion, body.Text, http.RequestAborted);
            if (saved is not null) return TypedResults.Ok(saved);
            var c = conflict!;
            return TypedResults.Problem(
                title: "Iemand anders heeft deze notitie intussen gewijzigd",
                detail: c.MergedText is not null
                    ? "Uw wijziging en die van de ander raken elkaar niet: bekijk de samengevoegde tekst en sla die op."
                    : "Uw wijziging en die van de ander raken dezelfde regels: kies per stuk welke tekst blijft.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?>
                {
                    ["currentVersion"] = c.Current.Version,
                    ["currentText"] = c.Current.Text,
                    ["mergedText"] = c.MergedText,
                    ["conflicts"] = c.Conflicts,
                });
        });
    }

    private static async Task<IResult> Guard(Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (FhirException e)
        {
            var title = e.Status switch
            {
                HttpStatusCode.NotFound or HttpStatusCode.Gone => "Notitie niet gevonden",
                HttpStatusCode.Forbidden => "Niet toegestaan",
                _ => "Niet opgeslagen",
            };
            return Problem(e.Status == HttpStatusCode.Gone ? HttpStatusCode.NotFound : e.Status, title, e.Message);
        }
    }

    private static IResult Problem(HttpStatusCode status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: (int)status);
}
