using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Shared.Contracts;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Dossier;

public static partial class DossierApi
{
    /// <summary>The most hits one search returns (newest first); <see cref="SearchResults.More"/> says there were more.</summary>
    private const int MaxHits = 50;

    /// <summary>
    /// One search box per dossier: goals (and their progress notes), agreements, the plan, logbook notes, the paspoort,
    /// messages and document titles that hold <paramref name="q"/> (case and accents ignored). The FHIR search has no
    /// full-text parameter for these texts (_content is not supported; Task, Communication and a note's Markdown have no
    /// string parameter), so each section is read through <see cref="DossierReader"/> — the caller's scope inside every
    /// query, every read audited, a section not shared not queried, a hidden item never returned — and matched here.
    /// Nothing the caller may not read is ever in hand, so neither the hits, their snippets nor <c>More</c> can tell of it.
    /// </summary>
    private static async Task<Ok<SearchResults>> Search(HttpContext http, FhirRepository repo, string patientId, string? q)
    {
        var query = (q ?? "").Trim();
        if (query.Length is < 2 or > 100) throw ApiProblem.BadRequest(ApiText.SearchQueryLength);
        var reader = await DossierReader.OpenAsync(http, repo, patientId);

        var hits = new List<SearchHit>();
        void Add(Resource r, string section, string title, params IEnumerable<string?> texts)
        {
            foreach (var text in texts)
            {
                if (text is null || Snippet(text, query) is not { } snippet) continue;
                var date = DossierViews.Timeline(r)?.Date;
                // A section label may have filed the item elsewhere than its type's section: name where it really is.
                hits.Add(new SearchHit(r.TypeName, r.Id!, SectionClassifier.Classify(r) ?? section, date, Excerpt(title), snippet));
                return;
            }
        }

        foreach (var g in await reader.SearchAsync<Goal>(Section.Doelen, ("_count", "500")))
            Add(g, Section.Doelen, g.Description?.Text ?? "", [g.Description?.Text, .. g.Note.Select(n => n.Text)]);
        foreach (var t in DossierViews.Agreements(await reader.SearchAsync<Hl7.Fhir.Model.Task>(Section.Afspraken, ("_count", "1000"))))
            Add(t, Section.Afspraken, t.Description ?? t.Code?.Text ?? "", [t.Description, t.Code?.Text, .. t.Note.Select(n => n.Text)]);
        foreach (var p in await reader.SearchAsync<CarePlan>(Section.Plan, ("_count", "50")))
            Add(p, Section.Plan, p.Title ?? "Plan", p.Title, p.Description);
        foreach (var c in await reader.SearchAsync<Communication>(Section.Berichten, ("_count", "1000")))
        {
            var message = DossierViews.Message(c);
            Add(c, Section.Berichten, c.Topic?.Text ?? message.Text, c.Topic?.Text, message.Text);
        }

        // DocumentReferences live in several sections: one search, the caller's scope keeps the readable ones. Notes and
        // the paspoort are text of their own; of a document only its title and description are searched, never its file.
        if (new[] { Section.Logboek, Section.Documenten, Section.Profiel, Section.Financien }.FirstOrDefault(reader.CanRead) is { } documents)
        {
            foreach (var d in await reader.SearchAsync<DocumentReference>(documents, ("_count", "1000")))
            {
                var section = SectionClassifier.Classify(d) ?? Section.Documenten;
                if (!reader.CanRead(section)) continue;
                if (section is Section.Logboek or Section.Profiel)
                    Add(d, section, DossierViews.Text(d), DossierViews.Text(d));
                else
                {
                    var title = d.Content.Select(x => x.Attachment?.Title).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? d.Description ?? "";
                    Add(d, section, title, title, d.Description);
                }
            }
        }

        var ordered = hits.OrderByDescending(h => Sortable(h.Date), StringComparer.Ordinal).ThenBy(h => h.Type, StringComparer.Ordinal)
            .ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new SearchResults(patientId, query, ordered.Take(MaxHits).ToArray(), ordered.Count > MaxHits));
    }

    /// <summary>The text around the first match, on one line (null: no match). Accents and case are ignored, so
    /// "zwem" finds "Zwémmen"; the match keeps its place in the original text.</summary>
    internal static string? Snippet(string text, string query)
    {
        var compare = CultureInfo.InvariantCulture.CompareInfo;
        var at = compare.IndexOf(text, query, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace, out var length);
        if (at < 0) return null;
        const int around = 60;
        var start = Math.Max(0, at - around);
        var end = Math.Min(text.Length, at + length + around);
        var snippet = text[start..end].ReplaceLineEndings(" ").Trim();
        return (start > 0 ? "…" : "") + snippet + (end < text.Length ? "…" : "");
    }

    private static string Excerpt(string text)
    {
        var t = text.ReplaceLineEndings(" ").Trim();
        return t.Length <= 120 ? t : t[..120] + "…";
    }
}
