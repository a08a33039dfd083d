using System.Net;
using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Dossier;

/// <summary>
/// Reads one family's dossier for a task-shaped endpoint, as the caller. Every read is a repository search or read
/// with the caller's context, so the caller's <see cref="AccessScope"/> is applied inside each query and every read is
/// audited; nothing is read unrestricted and filtered afterwards. Sections the caller may not read are not queried
/// at all and show as null ("not shared with you") rather than as empty.
/// </summary>
internal sealed class DossierReader
{
    private readonly HttpContext _http;
    private readonly FhirRepository _repo;
    private readonly FhirContext _ctx;

    private DossierReader(HttpContext http, FhirRepository repo, AccessScope scope, string patientId, IReadOnlySet<string> sections, bool canManage)
    {
        Scope = scope;
        CanManage = canManage;
        _http = http;
        _repo = repo;
        _ctx = FhirHttp.Context(http);
        PatientId = patientId;
        Sections = sections;
    }

    public string PatientId { get; }

    /// <summary>The caller's compiled scope (for decisions in Fhir/Access about other dossiers, e.g. a goal's link to a naaste's own dossier).</summary>
    public AccessScope Scope { get; }

    /// <summary>Whether the caller holds regie or may manage access (the toegang section).</summary>
    public bool CanManage { get; }

    /// <summary>The content sections of this dossier the caller may read (never toegang: see <see cref="CanManage"/>).</summary>
    public IReadOnlySet<string> Sections { get; }

    public bool CanRead(string section) => Sections.Contains(section);

    /// <summary>The reader; throws the dossier's 404 (<see cref="ApiProblem.DossierNotFound"/>) when the caller sees nothing
    /// of it (the refusal is audited by the repository, answered exactly as for a dossier that does not exist).</summary>
    public static async Task<DossierReader> OpenAsync(HttpContext http, FhirRepository repo, string patientId)
    {
        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview))
        {
            try
            {
                // Goes through the repository so that the refusal is in the audit log like any other.
                await repo.ReadAsync(FhirHttp.Context(http), "Patient", patientId, http.RequestAborted);
            }
            catch (FhirException)
            {
            }
            throw ApiProblem.DossierNotFound(patientId);
        }
        return InScope(http, repo, scope, patientId)!;
    }

    /// <summary>The reader of a dossier in an already compiled scope (the caseload walks the caller's own dossiers);
    /// null when the scope does not allow its overview.</summary>
    public static DossierReader? InScope(HttpContext http, FhirRepository repo, AccessScope scope, string patientId)
    {
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)) return null;
        IReadOnlySet<string> sections = scope.IsUnrestricted || scope.AllPatients
            ? PgoCodes.Section.Dossier.ToHashSet(StringComparer.Ordinal)
            : scope.Patients[patientId].ReadSections.Where(PgoCodes.Section.Dossier.Contains).ToHashSet(StringComparer.Ordinal);
        return new DossierReader(http, repo, scope, patientId, sections, DossierOperations.Allows(scope, patientId, DossierOperation.ManageAccess));
    }

    /// <summary>A search in this dossier (<c>patient=Patient/{id}</c> is added), as the caller.</summary>
    public async Task<List<T>> SearchAsync<T>(string section, params (string Key, string Value)[] query) where T : Resource
    {
        if (!CanRead(section)) return [];
        var type = ModelInfo.GetFhirTypeNameForType(typeof(T))!;
        var parameters = query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value)).ToList();
        parameters.Add(new("patient", $"Patient/{PatientId}"));
        var response = await _repo.SearchAsync(_ctx, type, parameters, _http.RequestAborted);
        return FhirJson.Parse<Bundle>(response.Json!).Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource).OfType<T>().ToList();
    }

    /// <summary>One resource, as the caller; null when it does not exist or is hidden from the caller.</summary>
    public async Task<T?> ReadAsync<T>(string type, string id) where T : Resource
    {
        try
        {
            var response = await _repo.ReadAsync(_ctx, type, id, _http.RequestAborted);
            return FhirJson.Parse(response.Stored!.Json) as T;
        }
        catch (FhirException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }
    }
}
