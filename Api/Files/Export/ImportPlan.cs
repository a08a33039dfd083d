using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Text;

namespace Pgo.Api.Files.Export;

/// <summary>A grant of the exported dossier that the import does not carry over: the family grants it again.</summary>
/// <param name="Toestemming">The Consent's id in the export.</param>
/// <param name="Wie">Who it was for (a name from the export where it has one, else the reference).</param>
/// <param name="Rol">The role(s) of the grant (regiehouder, ondersteuner, ...), or "verbergen" for a hide.</param>
/// <param name="Onderdelen">The sections it covered (empty: all).</param>
public sealed record GrantNotImported(string Toestemming, string Wie, string Rol, string[] Onderdelen);

/// <summary>A DocumentReference's file in the zip and the new blob it goes to.</summary>
public sealed record ImportFile(string ZipEntry, string BlobName, string ContentType);

/// <summary>
/// What an import will write, decided before anything is stored (docs/adr/0006-files.md). The export is the caller's
/// claim, never trusted: every resource gets a fresh server id (references, urn/absolute ones included, and attachment
/// urls are rewritten), every resource must sit in the one imported Patient's compartment and refer only within it
/// (or to the directory), identity and directory records are refused, and Consents are not imported: they are listed
/// so the family can grant again. Any problem refuses the whole import.
/// </summary>
public sealed class ImportPlan
{
    /// <summary>Written by the platform only (issue 13, W1): never taken from an export.</summary>
    private static readonly HashSet<string> IdentityTypes = new(StringComparer.Ordinal) { "Person", "Practitioner", "PractitionerRole", "Organization" };

    public string OldPatientId { get; private init; } = "";
    public Patient Client { get; private init; } = null!;
    public List<Resource> Resources { get; } = [];
    public List<ImportFile> Files { get; } = [];
    public List<GrantNotImported> NotImported { get; } = [];
    public List<string> Problems { get; } = [];
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);   // "Type/oldId" -> new id
    private readonly Dictionary<string, string> _fullUrls = new(StringComparer.Ordinal); // fullUrl -> "Type/newId"
    private readonly Dictionary<Resource, string> _fresh = new(ReferenceEqualityComparer.Instance);

    /// <summary>The new reference of a resource of the export (<c>RelatedPerson/old</c> → <c>RelatedPerson/new</c>), or null.</summary>
    public string? NewReference(string oldReference) =>
        oldReference.Split('/') is [var type, var id] && _ids.TryGetValue($"{type}/{id}", out var fresh) ? $"{type}/{fresh}" : null;

    /// <param name="pointsIntoStorage">Whether an attachment url names our blob storage.</param>
    /// <param name="hasZipEntry">Whether the zip holds an entry of this name.</param>
    public static ImportPlan Build(Bundle bundle, ISearchIndexer indexer, Func<string?, bool> pointsIntoStorage, Func<string, bool> hasZipEntry)
    {
        var entries = bundle.Entry.Where(e => e.Resource is not null).ToList();
        var all = entries.Select(e => e.Resource!).ToList();
        var patients = all.OfType<Patient>().ToList();
        var plan = new ImportPlan { OldPatientId = patients.FirstOrDefault()?.Id ?? "", Client = patients.FirstOrDefault()! };
        if (patients.Count != 1 || string.IsNullOrEmpty(plan.OldPatientId))
        {
            plan.Problems.Add(patients.Count > 1
                ? ApiProblem.Text(ApiText.ImportManyClients, patients.Count, "Patient/" + string.Join(", Patient/", patients.Select(p => p.Id)))
                : ApiText.ImportNoClient);
            return plan;
        }

        // 1. Which resources, each under a fresh id.
        foreach (var entry in entries)
        {
            var r = entry.Resource!;
            var label = $"{r.TypeName}/{r.Id ?? ApiText.ImportWithoutId}";
            if (IdentityTypes.Contains(r.TypeName))
            {
                plan.Problems.Add(ApiProblem.Text(ApiText.ImportIdentityResource, label, r.TypeName));
                continue;
            }
            if (r is not Patient && !SectionClassifier.IsDossierType(r.TypeName))
            {
                plan.Problems.Add(ApiProblem.Text(ApiText.ImportNotDossierData, label));
                continue;
            }
            var fresh = Guid.NewGuid().ToString("D");
            if (r.Id is { } old && !plan._ids.TryAdd($"{r.TypeName}/{old}", fresh))
            {
                plan.Problems.Add(ApiProblem.Text(ApiText.ImportDuplicate, label));
                continue;
            }
            plan._fresh[r] = fresh;
            if (entry.FullUrl is { Length: > 0 } fullUrl && !plan._fullUrls.TryAdd(fullUrl, $"{r.TypeName}/{fresh}"))
                plan.Problems.Add(ApiProblem.Text(ApiText.ImportDuplicateFullUrl, label, fullUrl));
            if (r is Consent consent)
            {
                plan.NotImported.Add(Describe(consent, all));
                if (consent.Patient?.Reference is { } p && p != $"Patient/{plan.OldPatientId}")
                    plan.Problems.Add(ApiProblem.Text(ApiText.ImportConsentOtherDossier, label, p));
                continue; // grants are never imported: the importer becomes regiehouder of the new dossier, the family grants again
            }
            plan.Resources.Add(r);
        }
        var newPatientId = plan.NewReference($"Patient/{plan.OldPatientId}")!["Patient/".Length..];

        // 2. Rewrite ids, references and file urls; check that each resource stays inside the one new dossier.
        foreach (var r in plan.Resources)
        {
            var label = $"{r.TypeName}/{r.Id ?? ApiText.ImportWithoutId}";
            var oldId = r.Id;
            r.Id = plan._fresh[r];
            // Versions and their dates are this instance's; section labels and tags stay (they file the item).
            r.Meta = r.Meta is { } meta && (meta.Security.Count > 0 || meta.Tag.Count > 0) ? new Meta { Security = meta.Security, Tag = meta.Tag } : null;
            foreach (var reference in FhirElements.Descendants(r).OfType<ResourceReference>())
            {
                if (reference.Reference is not { Length: > 0 } value || value.StartsWith('#')) continue;
                if (plan.Rewrite(value) is { } rewritten) reference.Reference = rewritten;
                else if (Outside(value) is { } why) plan.Problems.Add(ApiProblem.Text(ApiText.ImportReferenceOutside, label, value, why));
            }
            foreach (var attachment in FhirElements.Descendants(r).OfType<Attachment>())
            {
                if (!pointsIntoStorage(attachment.Url)) continue;
                var own = r is DocumentReference doc && doc.Content.Any(c => ReferenceEquals(c.Attachment, attachment))
                    && oldId is not null && attachment.Url == DocumentBlobs.UrlOf(plan.OldPatientId, oldId);
                if (!own)
                {
                    plan.Problems.Add(ApiProblem.Text(ApiText.ImportAttachmentForeign, label, attachment.Url));
                    continue;
                }
                var entry = Export.DossierExport.FilesFolder + DocumentBlobs.BlobName(plan.OldPatientId, oldId!);
                attachment.Url = DocumentBlobs.UrlOf(newPatientId, r.Id);
                if (hasZipEntry(entry))
                    plan.Files.Add(new ImportFile(entry, DocumentBlobs.BlobName(newPatientId, r.Id), attachment.ContentType ?? "application/octet-stream"));
            }
            IReadOnlyList<string> compartment = r is Patient ? [r.Id] : indexer.Extract(r).PatientCompartment;
            if (compartment.Count != 1 || compartment[0] != newPatientId)
                plan.Problems.Add(compartment.Count == 0
                    ? ApiProblem.Text(ApiText.ImportBelongsToNoDossier, label)
                    : ApiProblem.Text(ApiText.ImportBelongsToOtherDossier, label));
        }
        return plan;
    }

    /// <summary>The new reference for one to a resource of the export: relative, absolute (ending in Type/id, a version
    /// dropped) or the entry's fullUrl (urn:uuid, ...). Null when it names nothing in the export.</summary>
    private string? Rewrite(string value)
    {
        if (_fullUrls.TryGetValue(value, out var byFullUrl)) return byFullUrl;
        var parts = value.Split('/');
        var history = Array.IndexOf(parts, "_history");
        if (history >= 0) parts = parts[..history];
        return parts.Length >= 2 ? NewReference($"{parts[^2]}/{parts[^1]}") : null;
    }

    /// <summary>Why a reference that names nothing in the export is refused; null when it may stay (the directory).</summary>
    private static string? Outside(string value)
    {
        if (value.StartsWith("urn:", StringComparison.Ordinal)) return ApiText.ImportRefPointsNowhere;
        var parts = value.Split('/');
        var history = Array.IndexOf(parts, "_history");
        if (history >= 0) parts = parts[..history];
        if (parts.Length < 2) return ApiText.ImportRefInvalid;
        var type = parts[^2];
        // Practitioners, organisations and the like are the platform's directory: a reference to them grants nothing.
        if (!SectionClassifier.IsDossierType(type) || IdentityTypes.Contains(type)) return null;
        return type == "Patient" ? ApiText.ImportRefOtherClient : ApiText.ImportRefOutsideDossier;
    }

    private static GrantNotImported Describe(Consent consent, IEnumerable<Resource> all)
    {
        var grant = ConsentGrant.Of(consent);
        var names = all.Where(r => r is RelatedPerson or Patient).ToDictionary(r => $"{r.TypeName}/{r.Id}", NameOf, StringComparer.Ordinal);
        var who = string.Join(", ", grant.Actors.Select(a => names.TryGetValue(a.Reference, out var n) && n is not null ? n : a.Reference));
        var role = grant.IsDeny ? "verbergen" : string.Join(", ", grant.Actors.SelectMany(a => a.Roles).Distinct(StringComparer.Ordinal));
        return new GrantNotImported(consent.Id ?? "", who, role, grant.Sections?.Order(StringComparer.Ordinal).ToArray() ?? []);
    }

    private static string? NameOf(Resource r) =>
        DisplayNames.Of(r is RelatedPerson rp ? rp.Name : r is Patient p ? p.Name : null);
}
