using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>Turns a resource into its search index rows. Pure: no I/O, deterministic, thread-safe.</summary>
public interface ISearchIndexer
{
    ResourceIndex Extract(Resource resource);
}
