using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Realtime.CoWriting;

/// <summary>A note as the Portal edits it: Markdown text with the version it was read at, who wrote that version and when.</summary>
public sealed record NoteView(string Id, string PatientId, int Version, string? Title, string Text,
    string? WrittenBy = null, string? WriterName = null, DateTimeOffset? WrittenAt = null);

/// <summary>One version of a note: who wrote it (the server recorded it, decision W6), when, and its text.
/// <paramref name="Change"/> is "aangemaakt", "gewijzigd" or "verwijderd".</summary>
public sealed record NoteVersion(int Version, DateTimeOffset? WrittenAt, string? WrittenBy, string? WriterName, string Change, string? Text);

/// <summary>A stale save: the note as it is now, and the three-way merge of the caller's edit with it (null: the edits overlap).</summary>
public sealed record NoteConflict(NoteView Current, string? MergedText, IReadOnlyList<ThreeWayMerge.Conflict> Conflicts);

/// <summary>
/// Logbook notes with optimistic concurrency. A note is a <c>DocumentReference</c> in section logboek whose first
/// attachment holds the Markdown text (the shape the demo dossiers use, Api/Demo/DemoGrants.cs). Every read and write
/// goes through <see cref="FhirRepository"/>, so access, versions and audit are those of /fhir. A save names the version
/// it started from; the store's version check (If-Match) makes sure of it inside the write transaction, so of two
/// concurrent saves on one version exactly one lands and the other is told, never silently overwritten.
/// </summary>
public sealed class NoteService(FhirRepository repo, TimeProvider clock)
{
    private const string Type = "DocumentReference";

    public async Task<NoteView> GetAsync(FhirContext ctx, string patientId, string noteId, CancellationToken ct)
    {
        var (view, _) = await ReadAsync(ctx, patientId, noteId, ct);
        return view;
    }

    public async Task<NoteView> CreateAsync(FhirContext ctx, string patientId, string? title, string text, CancellationToken ct)
    {
        var doc = new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)],
            Date = clock.GetUtcNow(),
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown", Title = title } }],
        };
        SetText(doc, text);
        var created = await repo.CreateAsync(ctx, Type, doc, null, ct);
        return View(patientId, created.Stored!);
    }

    /// <summary>Saves <paramref name="text"/> if the note is still at <paramref name="baseVersion"/>; otherwise returns the conflict.</summary>
    public async Task<(NoteView? Saved, NoteConflict? Conflict)> SaveAsync(FhirContext ctx, string patientId, string noteId, int baseVersion, string text, CancellationToken ct)
    {
        var (current, doc) = await ReadAsync(ctx, patientId, noteId, ct);
        if (current.Version == baseVersion)
        {
            SetText(doc, text);
            try
            {
                var saved = await repo.UpdateAsync(ctx, Type, noteId, doc, $"W/\"{baseVersion}\"", ct);
                return (View(patientId, saved.Stored!), null);
            }
            catch (FhirException e) when (e.Status == HttpStatusCode.PreconditionFailed)
            {
                // Someone saved between our read and our write: answer with their version.
                (current, _) = await ReadAsync(ctx, patientId, noteId, ct);
            }
        }
        string? baseText = null;
        if (baseVersion >= 1 && baseVersion < current.Version)
        {
            try
            {
                var old = await repo.VReadAsync(ctx, Type, noteId, baseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
                baseText = TextOf((DocumentReference)FhirJson.Parse(old.Stored!.Json));
            }
            catch (FhirException) { /* no base to merge from: a plain conflict */ }
        }
        if (baseText is null) return (null, new NoteConflict(current, null, [new ThreeWayMerge.Conflict("", text, current.Text)]));
        var merge = ThreeWayMerge.Merge(baseText, text, current.Text);
        return (null, new NoteConflict(current, merge.Text, merge.Conflicts));
    }

    /// <summary>Every version of the note, newest first, each with its writer: the history as the caller may read it.</summary>
    public async Task<IReadOnlyList<NoteVersion>> VersionsAsync(FhirContext ctx, string patientId, string noteId, CancellationToken ct)
    {
        await ReadAsync(ctx, patientId, noteId, ct);
        var history = FhirJson.Parse<Bundle>((await repo.HistoryAsync(ctx, Type, noteId, [new("_count", "1000")], ct)).Json!);
        return history.Entry.Select(e =>
        {
            var version = int.TryParse(e.Resource?.Meta?.VersionId ?? e.Response?.Etag?.Trim('W', '/', '"'), out var v) ? v : 0;
            var deleted = e.Request?.Method == Bundle.HTTPVerb.DELETE || e.Resource is null;
            var doc = e.Resource as DocumentReference;
            var (who, name) = doc is null ? (null, null) : WriterOf(doc);
            return new NoteVersion(version, e.Resource?.Meta?.LastUpdated ?? e.Response?.LastModified,
                who, name, deleted ? "verwijderd" : version == 1 ? "aangemaakt" : "gewijzigd", doc is null ? null : TextOf(doc));
        }).ToList();
    }

    /// <summary>Who wrote this version: recorded by the server; for versions from before that, the note's first author.</summary>
    private static (string? Who, string? Name) WriterOf(DocumentReference doc) =>
        doc.GetExtension(MessageRules.WrittenBy)?.Value is ResourceReference { Reference: { } who } writer
            ? (who, writer.Display)
            : (doc.Author.FirstOrDefault()?.Reference, doc.Author.FirstOrDefault()?.Display);

    private async Task<(NoteView View, DocumentReference Doc)> ReadAsync(FhirContext ctx, string patientId, string noteId, CancellationToken ct)
    {
        var read = await repo.ReadAsync(ctx, Type, noteId, ct);
        var doc = (DocumentReference)FhirJson.Parse(read.Stored!.Json);
        // A DocumentReference of another dossier is "not found" here, like one the caller cannot see.
        if (doc.Subject?.Reference != $"Patient/{patientId}" || doc.Content.Count == 0)
            throw FhirException.NotFound(ApiProblem.Text(ApiText.NoteNotFound, noteId));
        return (View(patientId, read.Stored), doc);
    }

    private static NoteView View(string patientId, Pgo.Fhir.Storage.StoredResource stored)
    {
        var doc = (DocumentReference)FhirJson.Parse(stored.Json);
        var (who, name) = WriterOf(doc);
        return new NoteView(stored.Id, patientId, stored.Version, doc.Content.FirstOrDefault()?.Attachment?.Title ?? doc.Description, TextOf(doc),
            who, name, doc.Meta?.LastUpdated);
    }

    private static string TextOf(DocumentReference doc) =>
        doc.Content.FirstOrDefault()?.Attachment?.Data is { } data ? Encoding.UTF8.GetString(data) : doc.Description ?? "";

    private static void SetText(DocumentReference doc, string text)
    {
        var attachment = doc.Content[0].Attachment ??= new Attachment();
        attachment.ContentType = "text/markdown";
        attachment.Data = Encoding.UTF8.GetBytes(text);
    }
}
