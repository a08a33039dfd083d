namespace Pgo.Fhir.Storage;

/// <summary>One stored version of a resource. Json is empty for a deletion.</summary>
public sealed record StoredResource(string Type, string Id, int Version, DateTimeOffset LastUpdated, bool Deleted, string Json)
{
    public string VersionId => Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public string ETag => $"W/\"{Version}\"";
}

/// <summary>One entry of a history listing: the version plus how it was written.</summary>
public sealed record HistoryEntry(StoredResource Resource, string Method, long Seq);

/// <summary>
/// What a write session should store. ExpectedVersion (if set) must equal the current version
/// (0 = the resource must not exist yet); the stored version becomes current + 1.
/// Method is the REST method recorded in history (POST for a create, PUT for an update).
/// Section is the dossier section (Access/SectionClassifier), null for directory resources.
/// </summary>
public sealed record ResourceWrite(
    string Type,
    string Id,
    string Json,
    Search.Indexing.ResourceIndex Index,
    int? ExpectedVersion,
    DateTimeOffset LastUpdated,
    string Method,
    string? Section = null);
