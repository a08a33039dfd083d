using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Api.Dossier;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Notifications.Schedule;

/// <summary>
/// The schedule's platform reads, past every grant and each one audited as platform work
/// (<see cref="PlatformPurpose.NotificationSchedule"/>): the open agreements, the active grants, the clients whose 18th
/// birthday is near, and the Persons acting as given records (the candidates, before each one's own access decides).
/// Nothing read here is stored: a notification keeps only its kind, dossier and item reference.
/// </summary>
/// <remarks>
/// The candidates are looked up here until the rules' audience seam (Api/Notifications/Rules) is on main; then this
/// lookup should become that seam's.
/// </remarks>
public sealed class ScheduleFacts(FhirRepository repo)
{
    private const int Page = 1000;
    private const int Chunk = 100;


    /// <summary>Every open agreement (the overview's open statuses) in every dossier, and every open planned meting
    /// (issue 20: a Task too, told by its own rule).</summary>
    public Task<List<Hl7.Fhir.Model.Task>> OpenAgreementsAsync(CancellationToken ct) =>
        SearchAllAsync<Hl7.Fhir.Model.Task>("Task", [new("status", string.Join(",", DossierViews.OpenTaskStatuses))], ct);

    /// <summary>Every open procedure with a deadline (issue 20): the events are searched by their CodeSystem, the open ones kept.</summary>
    public async Task<List<Basic>> OpenProceduresAsync(CancellationToken ct) =>
        (await SearchAllAsync<Basic>("Basic", [new("code", Pgo.Shared.Codes.EventCodes.TypeSystem + "|")], ct))
            .Where(Pgo.Fhir.Profiles.CountableEvent.IsOpenProcedure).ToList();

    /// <summary>
    /// The families whose current intensity is waakvlam (issue 20): each one's newest intensity change, with the day of
    /// its newest logbook note (the last contact; null when none).
    /// </summary>
    public async Task<List<(Basic Change, DateOnly? LastContact)>> WaakvlamAsync(CancellationToken ct)
    {
        var changes = await SearchAllAsync<Basic>("Basic", [new("code", Pgo.Shared.Codes.SupportIntensity.System + "|")], ct);
        var current = changes.Where(c => c.Subject?.Reference is not null).GroupBy(c => c.Subject!.Reference!, StringComparer.Ordinal)
            .Select(g => Pgo.Fhir.Profiles.IntensityChange.Current(g))
            .Where(c => c is not null && Pgo.Shared.Codes.IntensityChanges.HasRhythm(Pgo.Fhir.Profiles.IntensityChange.ToOf(c)))
            .Select(c => c!).ToList();
        var contacts = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var chunk in current.Select(c => c.Subject!.Reference!).Chunk(Chunk))
            foreach (var note in await SearchAllAsync<DocumentReference>("DocumentReference",
                [new("subject", string.Join(",", chunk)), new("category", $"{PgoCodes.Section.System}|{PgoCodes.Section.Logboek}")], ct))
                if (note.Subject?.Reference is { } patient && Pgo.Api.Caseload.IntensityRules.ContactDayOf(note) is { } day
                    && (!contacts.TryGetValue(patient, out var known) || day > known))
                    contacts[patient] = day;
        return current.Select(c => (c, contacts.TryGetValue(c.Subject!.Reference!, out var d) ? d : (DateOnly?)null)).ToList();
    }

    /// <summary>Every active (not revoked) grant, as the policy reads it.</summary>
    public async Task<List<ConsentGrant>> ActiveGrantsAsync(CancellationToken ct) =>
        (await SearchAllAsync<Consent>("Consent", [new("status", "active")], ct)).Select(ConsentGrant.Of).ToList();

    /// <summary>The birth dates of the clients born between <paramref name="from"/> and <paramref name="to"/> (inclusive).</summary>
    public async Task<Dictionary<string, DateOnly>> BirthDatesAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var patients = await SearchAllAsync<Patient>("Patient",
            [new("birthdate", "ge" + Day(from)), new("birthdate", "le" + Day(to))], ct);
        var births = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var p in patients)
            if (p.Id is { } id && p.BirthDate is { Length: 10 } b && DateOnly.TryParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                births[id] = d;
        return births;
    }

    /// <summary>The birth dates of the given clients (Patient ids; those without one are left out).</summary>
    public async Task<Dictionary<string, DateOnly>> BirthDatesOfAsync(IReadOnlyCollection<string> patientIds, CancellationToken ct)
    {
        var births = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var chunk in patientIds.Distinct(StringComparer.Ordinal).Chunk(Chunk))
            foreach (var p in await SearchAllAsync<Patient>("Patient", [new("_id", string.Join(",", chunk))], ct))
                if (p.Id is { } id && p.BirthDate is { Length: 10 } b && DateOnly.TryParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    births[id] = d;
        return births;
    }

    /// <summary>
    /// The Persons (<c>Person/id</c>) acting as each record: those linking to it, and for an organisation the Persons of
    /// the Practitioners whose PractitionerRole is at it (its people). A record nobody acts as maps to nothing.
    /// </summary>
    public async Task<Dictionary<string, HashSet<string>>> PersonsActingAsAsync(IReadOnlyCollection<string> records, CancellationToken ct)
    {
        var result = records.Distinct(StringComparer.Ordinal).ToDictionary(r => r, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        // An organisation acts through its people: record → the Practitioners at it.
        var via = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in result.Keys.Where(r => r.StartsWith("Organization/", StringComparison.Ordinal)).Chunk(Chunk))
        {
            foreach (var role in await SearchAllAsync<PractitionerRole>("PractitionerRole", [new("organization", string.Join(",", chunk))], ct))
            {
                if (role.Organization?.Reference is not { } org || role.Practitioner?.Reference is not { } practitioner) continue;
                if (!via.TryGetValue(practitioner, out var orgs)) via[practitioner] = orgs = [];
                orgs.Add(org);
            }
        }
        var targets = result.Keys.Concat(via.Keys).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in targets.Chunk(Chunk))
        {
            foreach (var person in await SearchAllAsync<Person>("Person", [new("link", string.Join(",", chunk))], ct))
            {
                if (person.Id is not { } id || person.Active == false) continue;
                foreach (var target in person.Link.Select(l => l.Target?.Reference).OfType<string>())
                {
                    if (result.TryGetValue(target, out var direct)) direct.Add($"Person/{id}");
                    foreach (var org in via.GetValueOrDefault(target) ?? []) result[org].Add($"Person/{id}");
                }
            }
        }
        return result;
    }

    private async Task<List<T>> SearchAllAsync<T>(string type, List<KeyValuePair<string, string>> query, CancellationToken ct) where T : Resource
    {
        var found = new List<T>();
        var platform = repo.AsPlatform(PlatformPurpose.NotificationSchedule);
        for (var offset = 0; ; offset += Page)
        {
            var page = await platform.SearchAsync(type,
                [.. query, new("_count", Page.ToString(CultureInfo.InvariantCulture)), new("_offset", offset.ToString(CultureInfo.InvariantCulture))], ct);
            found.AddRange(page.Where(s => !s.Deleted).Select(s => FhirJson.Parse<T>(s.Json)));
            if (page.Count < Page) return found;
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
