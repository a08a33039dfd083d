using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Rest;

/// <summary>
/// A project rule on resources, written as code (profile validation is not available here).
/// Returns the problems in Dutch; any problem refuses the write with 422 and nothing is stored (in a transaction:
/// nothing of the whole Bundle).
/// </summary>
public interface IResourceRule
{
    ValueTask<IReadOnlyList<string>> CheckAsync(RuleContext context);
}

/// <summary>What a rule may look at: the incoming version, the current one, its patient compartment, and other
/// resources as the write transaction sees them (unrestricted: rules check validity, access was checked before).</summary>
public sealed class RuleContext(Resource incoming, Resource? current, IReadOnlyList<string> patients,
    Func<string, string, Task<Resource?>> read, Func<string, string, Task<Resource?>> findByUrl, ISearchIndexer indexer,
    Func<string, string, Task<bool>>? exists = null)
{
    public Resource Incoming { get; } = incoming;
    public Resource? Current { get; } = current;

    /// <summary>The patients whose compartment the incoming version is in (empty for directory resources).</summary>
    public IReadOnlyList<string> Patients { get; } = patients;

    public Task<Resource?> ReadAsync(string type, string id) => read(type, id);

    /// <summary>The one resource of <paramref name="type"/> with this canonical url, or null.</summary>
    public Task<Resource?> FindByUrlAsync(string type, string url) => findByUrl(type, url);

    /// <summary>Whether a resource of <paramref name="type"/> matches the search <paramref name="criteria"/> (e.g.
    /// <c>patient=Patient/x&amp;participant=Practitioner/y</c>), as the write transaction sees the store.</summary>
    public Task<bool> ExistsAsync(string type, string criteria) => exists is null ? System.Threading.Tasks.Task.FromResult(false) : exists(type, criteria);

    /// <summary>The patients whose compartment a stored resource is in.</summary>
    public IReadOnlyList<string> PatientsOf(Resource resource) =>
        resource is Patient p ? [p.Id!] : indexer.Extract(resource).PatientCompartment;
}

public sealed partial class FhirRepository
{
    /// <summary>
    /// Runs the project rules before a version is stored. They bind people (the Portal, apps with user/ or patient/
    /// scopes) and the platform itself (demo data, the dossier API); system clients with system/ scopes are trusted
    /// integrations that may bring FHIR data from elsewhere (imports, the official R4 examples) and are not held to
    /// the project's profiles (docs/adr/0005-dossier-mapping.md).
    /// </summary>
    private async System.Threading.Tasks.Task CheckRulesAsync(FhirContext ctx, IWriteSession session, Resource resource, Resource? current, ResourceIndex index)
    {
        if (_rules.Length == 0 || ctx.Caller is { IsSystem: true, Scopes.Count: > 0 }) return;
        async Task<Resource?> Read(string type, string id)
        {
            var stored = await session.ReadAsync(type, id);
            return stored is null || stored.Deleted ? null : FhirJson.Parse(stored.Json);
        }
        async Task<Resource?> FindByUrl(string type, string url)
        {
            var matches = await MatchInSessionAsync(ctx, AccessScope.Unrestricted, session, type, "url=" + Uri.EscapeDataString(url));
            return matches.Count == 1 ? FhirJson.Parse(matches[0].Json) : null;
        }
        async Task<bool> Exists(string type, string criteria) =>
            (await MatchInSessionAsync(ctx, AccessScope.Unrestricted, session, type, criteria)).Count > 0;
        var context = new RuleContext(resource, current, index.PatientCompartment, Read, FindByUrl, indexer, Exists);
        var problems = new List<string>();
        foreach (var rule in _rules) problems.AddRange(await rule.CheckAsync(context));
        if (problems.Count > 0) throw FhirException.Unprocessable(string.Join(" ", problems));
    }
}
