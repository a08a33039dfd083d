using Hl7.Fhir.Model;
using Pgo.Api.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Text;

namespace Pgo.Api.Regie.Succession;

/// <summary>
/// What the succession endpoints read past the caller's grants, each read a platform read with purpose
/// <see cref="PlatformPurpose.Succession"/> on the caller's behalf (in the family's "wie heeft wat bekeken"): the dossier's
/// Consents (a supporter or a successor does not read toegang), the client's birth date and account (who holds regie
/// now), and the names of the people and documents a view shows. Read only after the caller was found to have business
/// here (<see cref="SuccessionRules"/> decides what they then see and may do).
/// </summary>
internal sealed class SuccessionFacts
{
    private readonly PlatformReader _platform;

    private SuccessionFacts(PlatformReader platform, string patientId, List<Consent> consents, IReadOnlyList<string> regiehouders, IReadOnlyList<string> supporters)
    {
        _platform = platform;
        PatientId = patientId;
        Consents = consents;
        Successions = SuccessionRules.Successions(consents);
        Regiehouders = regiehouders;
        Supporters = supporters;
    }

    public string PatientId { get; }
    public List<Consent> Consents { get; }
    public IReadOnlyList<Pgo.Fhir.Access.Succession> Successions { get; }
    public IReadOnlyList<string> Regiehouders { get; }
    public IReadOnlyList<string> Supporters { get; }

    public Consent ConsentOf(string id) => Consents.Single(c => c.Id == id);

    public static PlatformReader Reader(HttpContext http, FhirRepository repo, AccessScope scope) =>
        repo.AsPlatform(PlatformPurpose.Succession, FhirHttp.Context(http), scope);

    public static async Task<SuccessionFacts> LoadAsync(HttpContext http, FhirRepository repo, AccessScope scope, string patientId, DateTimeOffset now)
    {
        var ct = http.RequestAborted;
        var platform = Reader(http, repo, scope);
        var stored = await platform.SearchAsync("Consent", [new("patient", $"Patient/{patientId}"), new("_count", "1000")], ct);
        var consents = stored.Where(s => !s.Deleted).Select(Parse).ToList();
        var patient = await platform.ReadAsync<Patient>(patientId, ct);
        DateOnly? birth = DateOnly.TryParse(patient?.BirthDate, System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : null;
        var stage = AgeRules.StageOf(birth, DateOnly.FromDateTime(now.UtcDateTime));
        var hasAccount = repo.Access is ConsentAccessPolicy policy && await policy.ClientHasAccountAsync(patientId, ct);
        var grants = consents.Select(ConsentGrant.Of).ToList();
        return new SuccessionFacts(platform, patientId, consents,
            SuccessionRules.RegiehoudersInForce(patientId, grants, stage, hasAccount, now), SuccessionRules.SupportersInForce(patientId, grants, now));
    }

    /// <summary>The successor Consents naming one of the caller's records (for a successor who sees nothing of the dossier):
    /// a search by actor, so that nothing else of the dossier is read on their behalf.</summary>
    public static async Task<List<Consent>> NamingAsync(HttpContext http, FhirRepository repo, AccessScope scope, string patientId)
    {
        var platform = Reader(http, repo, scope);
        var found = new List<Consent>();
        foreach (var identity in scope.Identities.Where(i => i.StartsWith("RelatedPerson/", StringComparison.Ordinal)))
            found.AddRange((await platform.SearchAsync("Consent", [new("patient", $"Patient/{patientId}"), new("actor", identity), new("_count", "100")], http.RequestAborted))
                .Where(s => !s.Deleted).Select(Parse));
        return found.Where(c => Pgo.Fhir.Access.Succession.Of(c) is { } s && scope.Identities.Contains(s.Successor)).ToList();
    }

    /// <summary>Display names of people (RelatedPerson, Practitioner, Patient, Person), by reference; unknown ones left out.</summary>
    public async Task<Dictionary<string, string>> NamesAsync(IEnumerable<string?> references, CancellationToken ct)
    {
        var refs = references.OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(r => r.Split('/')).Where(p => p is [("RelatedPerson" or "Practitioner" or "Patient" or "Person"), { Length: > 0 }]).Select(p => (p[0], p[1])).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (refs.Count == 0) return names;
        var stored = await _platform.ReadManyAsync(refs, ct);
        foreach (var ((type, id), s) in refs.Zip(stored))
        {
            if (s is not { Deleted: false }) continue;
            var name = FhirJson.Parse(s.Json) switch
            {
                RelatedPerson r => DisplayNames.Of(r.Name),
                Practitioner p => DisplayNames.Of(p.Name),
                Patient p => DisplayNames.Of(p.Name),
                Person p => DisplayNames.Of(p.Name),
                _ => null,
            };
            if (name is not null) names[$"{type}/{id}"] = name;
        }
        return names;
    }

    /// <summary>A document's title, when it is a DocumentReference of this dossier (null otherwise: not there, or another family's).</summary>
    public async Task<(bool InDossier, string? Title)> DocumentAsync(string reference, CancellationToken ct)
    {
        if (reference.Split('/') is not ["DocumentReference", { Length: > 0 } id]) return (false, null);
        var doc = await _platform.ReadAsync<DocumentReference>(id, ct);
        if (doc?.Subject?.Reference != $"Patient/{PatientId}") return (false, null);
        return (true, doc.Description ?? doc.Content.FirstOrDefault()?.Attachment?.Title);
    }

    private static Consent Parse(Pgo.Fhir.Storage.StoredResource stored)
    {
        var consent = FhirJson.Parse<Consent>(stored.Json);
        (consent.Meta ??= new Meta()).VersionId = stored.VersionId;
        return consent;
    }
}
