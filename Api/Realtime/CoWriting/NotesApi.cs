using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;

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
        var api = app.MapGroup("/api/dossiers/{patientId}/notes").RequireAuthorization().WithApiErrors().WithTags("Notities");
        api.MapGet("/{noteId}", Get);
        api.MapGet("/{noteId}/versions", Versions);
        api.MapPost("/", Create);
        api.MapPut("/{noteId}", Save).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    // The FHIR engine's refusals (404 for a note the caller cannot see, 403, 422) pass through the error path (Api/Errors).

    private static async Task<Ok<NoteView>> Get(HttpContext http, NoteService notes, string patientId, string noteId) =>
        TypedResults.Ok(await notes.GetAsync(FhirHttp.Context(http), patientId, noteId, http.RequestAborted));

    /// <summary>Who wrote each version of the note, and when (newest first).</summary>
    private static async Task<Ok<IReadOnlyList<NoteVersion>>> Versions(HttpContext http, NoteService notes, string patientId, string noteId) =>
        TypedResults.Ok(await notes.VersionsAsync(FhirHttp.Context(http), patientId, noteId, http.RequestAborted));

    private static async Task<Created<NoteView>> Create(HttpContext http, NoteService notes, string patientId, NewNote body)
    {
        if (body.Text is null) throw ApiProblem.BadRequest(ApiText.NoteTextMissing);
        var note = await notes.CreateAsync(FhirHttp.Context(http), patientId, body.Title, body.Text, http.RequestAborted);
        return TypedResults.Created($"/api/dossiers/{patientId}/notes/{note.Id}", note);
    }

    /// <summary>A stale save is an answer, not an error: 409 with the current text and, where possible, the merged one.</summary>
    private static async Task<Results<Ok<NoteView>, ProblemHttpResult>> Save(HttpContext http, NoteService notes, string patientId, string noteId, NoteSave body)
    {
        if (body.Text is null || body.BaseVersion < 1) throw ApiProblem.BadRequest(ApiText.NoteSaveInvalid);
        var (saved, conflict) = await notes.SaveAsync(FhirHttp.Context(http), patientId, noteId, body.BaseVersion, body.Text, http.RequestAborted);
        if (saved is not null) return TypedResults.Ok(saved);
        var c = conflict!;
        return ApiErrors.Problem(StatusCodes.Status409Conflict, c.MergedText is not null ? ApiText.NoteConflictMerged : ApiText.NoteConflictOverlap,
            ApiText.NoteConflictTitle, new Dictionary<string, object?>
            {
                ["currentVersion"] = c.Current.Version,
                ["currentText"] = c.Current.Text,
                ["mergedText"] = c.MergedText,
                ["conflicts"] = c.Conflicts,
            });
    }
}
