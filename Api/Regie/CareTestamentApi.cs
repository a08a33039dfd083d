using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Realtime;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Regie;

/// <summary>
/// The care testament ("wensen voor later", section zorgtestament, issue 18): one DocumentReference per dossier with
/// category zorgtestament, one Markdown attachment per topic (wonen, zorg, wat belangrijk is, overig). Read and written as
/// the caller through the repository, so the policy decides: whoever reads the section reads it (the regiehouders, the
/// client; the successor once they hold regie), whoever writes it writes it. A change names the version it was based on
/// (If-Match, or Version in the body) so that one writer never overwrites another unseen.
/// </summary>
public static class CareTestamentApi
{
    /// <summary>The topics, in the order shown, with the attachment title each is stored under.</summary>
    private static readonly (string Title, Func<CareTestament, string?> Get)[] Topics =
    [
        ("Wonen", t => t.Wonen), ("Zorg", t => t.Zorg), ("Wat belangrijk is", t => t.WatBelangrijkIs), ("Overig", t => t.Overig),
    ];

    private const string Zorgtestament = Pgo.Shared.Codes.DossierSections.Zorgtestament;

    /// <summary>At most this many characters per topic (a testament, not a file store).</summary>
    public const int MaxTopicLength = 20_000;

    internal static void Map(RouteGroupBuilder dossier)
    {
        dossier.MapGet("/zorgtestament", Get);
        dossier.MapPut("/zorgtestament", Put);
    }

    private static async Task<Ok<CareTestament>> Get(HttpContext http, FhirRepository repo, string patientId)
    {
        var reader = await OpenAsync(http, repo, patientId);
        var doc = await CurrentAsync(reader);
        return TypedResults.Ok(View(doc));
    }

    private static async Task<Ok<CareTestament>> Put(HttpContext http, FhirRepository repo, PersonNames people, TimeProvider clock, string patientId, CareTestament body)
    {
        var reader = await OpenAsync(http, repo, patientId);
        if (Topics.Any(t => t.Get(body)?.Length > MaxTopicLength))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.CareTestamentTooLong, MaxTopicLength));
        var current = await CurrentAsync(reader);
        var ifMatch = http.Request.Headers.IfMatch.FirstOrDefault() ?? body.Version;
        if (current is not null && string.IsNullOrWhiteSpace(ifMatch))
            throw new ApiProblem(StatusCodes.Status428PreconditionRequired, ApiText.CareTestamentVersionNeeded);

        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        var author = scope.ActingAs.TryGetValue(patientId, out var acting) && acting.Count > 0 ? acting[0] : caller.FhirUser;
        var doc = current ?? New(patientId);
        doc.Date = clock.GetUtcNow();
        doc.Author = author is null ? [] : [new ResourceReference(author) { Display = await people.NameAsync(caller.FhirUser, http.RequestAborted) }];
        doc.Content = Content(body);

        var ctx = FhirHttp.Context(http);
        var written = current is null
            ? await repo.CreateAsync(ctx, "DocumentReference", doc, null, http.RequestAborted)
            : await repo.UpdateAsync(ctx, "DocumentReference", current.Id!, doc, ifMatch, http.RequestAborted);
        return TypedResults.Ok(View(FhirJson.Parse<DocumentReference>(written.Stored!.Json)));
    }

    /// <summary>A new, empty care testament of the dossier (the demo writes its own with <see cref="Content"/>).</summary>
    internal static DocumentReference New(string patientId) => new()
    {
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{patientId}"),
        Category = [new CodeableConcept(Section.System, Zorgtestament)],
        Type = new CodeableConcept { Text = "Zorgtestament" },
        Description = "Wensen voor later",
    };

    /// <summary>One Markdown attachment per topic with text; a DocumentReference needs content, so an emptied testament keeps one empty topic.</summary>
    internal static List<DocumentReference.ContentComponent> Content(CareTestament body)
    {
        static DocumentReference.ContentComponent Topic(string title, string text) => new()
        {
            Attachment = new Attachment { ContentType = "text/markdown; charset=utf-8", Language = "nl", Title = title, Data = Encoding.UTF8.GetBytes(text) },
        };
        var content = Topics.Where(t => !string.IsNullOrWhiteSpace(t.Get(body))).Select(t => Topic(t.Title, t.Get(body)!)).ToList();
        return content.Count > 0 ? content : [Topic(Topics[^1].Title, "")];
    }

    /// <summary>The reader of the dossier; 404 for one the caller does not see, 403 when the section is not shared.</summary>
    private static async Task<DossierReader> OpenAsync(HttpContext http, FhirRepository repo, string patientId)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Zorgtestament)) throw ApiProblem.NotShared(Section.Display[Zorgtestament]);
        return reader;
    }

    private static async Task<DocumentReference?> CurrentAsync(DossierReader reader) =>
        (await reader.SearchAsync<DocumentReference>(Zorgtestament, ("category", $"{Section.System}|{Zorgtestament}"),
            ("_sort", "-_lastUpdated"), ("_count", "1"))).FirstOrDefault();

    private static CareTestament View(DocumentReference? doc)
    {
        if (doc is null) return new CareTestament(null, null, null, null, null, null, null);
        string? Topic(string title) => doc.Content.FirstOrDefault(c => c.Attachment?.Title == title)?.Attachment?.Data is { Length: > 0 } data
            ? Encoding.UTF8.GetString(data) : null;
        DateTimeOffset? updated = doc.Meta?.LastUpdated;
        return new CareTestament(Topic(Topics[0].Title), Topic(Topics[1].Title), Topic(Topics[2].Title), Topic(Topics[3].Title),
            doc.Author.FirstOrDefault()?.Display, updated, doc.Meta?.VersionId);
    }
}
