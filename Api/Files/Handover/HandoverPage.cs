using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Text;

namespace Pgo.Api.Files.Handover;

/// <summary>
/// The warm handover ("warme overdracht"): one readable, printable page in Dutch with what a new care provider needs
/// to know, so a family does not tell its story four times. Built from <c>Patient/$everything</c> with the caller's
/// own access: it shows exactly what the caller may see, nothing more (and the $everything read is audited). Every
/// value is HTML-encoded; the page carries a strict Content-Security-Policy (no scripts).
/// </summary>
public sealed class HandoverPage(FhirRepository repo, TimeProvider clock)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public async Task<IResult> RenderAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        Bundle bundle;
        try
        {
            bundle = FhirJson.Parse<Bundle>((await repo.EverythingAsync(ctx, patientId, [], http.RequestAborted)).Json!);
        }
        catch (FhirException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            throw ApiProblem.DossierNotFound(patientId);
        }
        var all = bundle.Entry.Select(e => e.Resource).OfType<Resource>().ToList();
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'none'";
        return Results.Content(Render(patientId, all, clock.GetUtcNow()), "text/html; charset=utf-8");
    }

    public static string Render(string patientId, IReadOnlyList<Resource> all, DateTimeOffset now)
    {
        var patient = all.OfType<Patient>().FirstOrDefault(p => p.Id == patientId);
        var name = patient is null ? $"Patient/{patientId}" : NameOf(patient.Name);
        var byRef = all.ToDictionary(r => $"{r.TypeName}/{r.Id}", StringComparer.Ordinal);
        string Who(ResourceReference? r) => r?.Reference is { } reference && byRef.TryGetValue(reference, out var x) ? Label(x) : r?.Display ?? "";

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>Overdracht – ").Append(E(name)).Append("</title><style>")
          .Append("body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}")
          .Append("h1{font-size:1.6rem;margin-bottom:0}h2{font-size:1.2rem;border-bottom:2px solid #2b6cb0;margin-top:2rem;padding-bottom:.2rem}")
          .Append("table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}")
          .Append(".meta{color:#555}.leeg{color:#777;font-style:italic}")
          .Append("@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}table,li{break-inside:avoid}a{color:inherit;text-decoration:none}.geen-print{display:none}}")
          .Append("</style></head><body>");
        sb.Append("<header><h1>Overdracht: ").Append(E(name)).Append("</h1><p class=\"meta\">Samengesteld op ")
          .Append(E(Pgo.Shared.Text.DutchTime.At(now).ToString("d MMMM yyyy 'om' HH:mm", Dutch)))
          .Append(". Dit overzicht toont alleen wat u in het dossier mag zien. Vertrouwelijk: niet doorsturen zonder toestemming van de regiehouder.</p></header>");

        Section(sb, "Over mij", patient is null ? [] : [
            Row("Naam", name),
            Row("Geboortedatum", Date(patient.BirthDate)),
            Row("Woonplaats", patient.Address.FirstOrDefault()?.City),
            Row("Taal", string.Join(", ", patient.Communication.Select(c => c.Language?.Text ?? c.Language?.Coding.FirstOrDefault()?.Display ?? c.Language?.Coding.FirstOrDefault()?.Code))),
        ], table: true);

        var network = all.OfType<RelatedPerson>().Select(p => Row(NameOf(p.Name), string.Join(", ", p.Relationship.Select(r => r.Text ?? r.Coding.FirstOrDefault()?.Display)), Contact(p.Telecom)))
            .Concat(all.OfType<CareTeam>().SelectMany(t => t.Participant.Select(m => Row(Who(m.Member), string.Join(", ", m.Role.Select(r => r.Text ?? r.Coding.FirstOrDefault()?.Display)), t.Name))))
            .Concat(all.OfType<Practitioner>().Select(p => Row(NameOf(p.Name), "professional", Contact(p.Telecom))))
            .Concat(all.OfType<Organization>().Select(o => Row(o.Name, "organisatie", Contact(o.Telecom))))
            .ToList();
        Section(sb, "Netwerk", network, table: true, headers: ["Wie", "Rol", "Contact"]);

        Section(sb, "Plan", all.OfType<CarePlan>().Select(p => Row(p.Title ?? "Plan", p.Description, Period(p.Period), p.Status?.ToString())).ToList(),
            table: true, headers: ["Plan", "Omschrijving", "Periode", "Status"]);
        Section(sb, "Doelen", all.OfType<Goal>().Select(g => Row(g.Description?.Text ?? "", g.LifecycleStatus?.ToString(),
            string.Join("; ", g.Note.Select(n => n.Text)))).ToList(), table: true, headers: ["Doel", "Status", "Voortgang"]);
        Section(sb, "Afspraken", all.OfType<Hl7.Fhir.Model.Task>().Where(t => !Pgo.Shared.Codes.MeasurementPlanCodes.IsPlanned(t)).Select(t => Row(t.Description ?? t.Code?.Text ?? "", Who(t.Owner),
            Date(t.Restriction?.Period?.End), t.Status?.ToString())).ToList(), table: true, headers: ["Afspraak", "Wie", "Uiterlijk", "Status"]);

        var docs = all.OfType<DocumentReference>().ToList();
        bool IsLog(DocumentReference d) => d.Category.SelectMany(c => c.Coding).Any(c => c.System == PgoCodes.Section.System && c.Code == PgoCodes.Section.Logboek);
        Section(sb, "Logboek (recent)", docs.Where(IsLog).OrderByDescending(d => d.Date).Take(10)
            .Select(d => Row(DateTime(d.Date), d.Description ?? d.Content.FirstOrDefault()?.Attachment?.Title, Who(d.Author.FirstOrDefault()))).ToList(),
            table: true, headers: ["Datum", "Notitie", "Door"]);
        Section(sb, "Documenten", docs.Where(d => !IsLog(d)).OrderByDescending(d => d.Date)
            .Select(d => Row(d.Description ?? d.Content.FirstOrDefault()?.Attachment?.Title, d.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System != PgoCodes.Section.System)?.Display,
                DateTime(d.Date))).ToList(), table: true, headers: ["Document", "Soort", "Datum"]);
        Section(sb, "Agenda", all.OfType<Appointment>().OrderBy(a => a.Start)
            .Select(a => Row(DateTime(a.Start), a.Description ?? a.ServiceType.FirstOrDefault()?.Text, string.Join(", ", a.Participant.Select(p => Who(p.Actor))))).ToList(),
            table: true, headers: ["Wanneer", "Wat", "Met wie"]);

        sb.Append("<footer class=\"meta\"><p>Bron: het gezinsdossier in PGO. Elke inzage van dit overzicht wordt vastgelegd.</p></footer></body></html>");
        return sb.ToString();
    }

    private static string?[] Row(params string?[] cells) => cells;

    private static void Section(StringBuilder sb, string title, IReadOnlyList<string?[]> rows, bool table, string[]? headers = null)
    {
        sb.Append("<section><h2>").Append(E(title)).Append("</h2>");
        if (rows.Count == 0) { sb.Append("<p class=\"leeg\">Niets vastgelegd (of niet zichtbaar voor u).</p></section>"); return; }
        sb.Append("<table>");
        if (headers is not null) sb.Append("<thead><tr>").Append(string.Concat(headers.Select(h => $"<th scope=\"col\">{E(h)}</th>"))).Append("</tr></thead>");
        sb.Append("<tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
                sb.Append(i == 0 && headers is null ? "<th scope=\"row\">" : "<td>").Append(E(row[i])).Append(i == 0 && headers is null ? "</th>" : "</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></section>");
    }

    private static string E(string? s) => Html.Encode(s ?? "");

    private static string NameOf(IEnumerable<HumanName> names) => DisplayNames.Of(names) ?? "";

    private static string Label(Resource r) => r switch
    {
        Patient p => NameOf(p.Name),
        RelatedPerson p => NameOf(p.Name),
        Practitioner p => NameOf(p.Name),
        Organization o => o.Name ?? "",
        PractitionerRole pr => pr.Practitioner?.Display ?? pr.Code.FirstOrDefault()?.Text ?? "",
        _ => $"{r.TypeName}/{r.Id}",
    };

    private static string Contact(IEnumerable<ContactPoint> telecom) => string.Join(", ", telecom.Select(t => t.Value).Where(v => !string.IsNullOrEmpty(v)));

    private static string? Date(string? fhirDate) =>
        System.DateTime.TryParse(fhirDate, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("d MMMM yyyy", Dutch) : fhirDate;

    private static string? DateTime(DateTimeOffset? when) => (when is { } w ? Pgo.Shared.Text.DutchTime.At(w) : (DateTimeOffset?)null)?.ToString("d MMMM yyyy", Dutch);

    private static string? DateTime(string? fhirDateTime) =>
        DateTimeOffset.TryParse(fhirDateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? DateTime(d) : fhirDateTime;

    private static string? DateTime(Instant? instant) => DateTime(instant?.Value);

    private static string? Period(Period? p) => p is null ? null : $"{DateTime(p.Start)} – {DateTime(p.End)}";
}
