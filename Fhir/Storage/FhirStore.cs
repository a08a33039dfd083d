namespace Pgo.Fhir.Storage;

/// <summary>Opens the store for a host (the Api, the benchmark). The store's resource side stays inside this assembly.</summary>
public static class FhirStore
{
    /// <summary>Chooses the provider from a connection string by the platform's one rule (Pgo.Shared.Data.DatabaseConnection).</summary>
    public static IFhirStore Open(string connectionString, StoreDurability durability = StoreDurability.Full) =>
        SqlFhirStore.FromConnectionString(connectionString, durability);

    /// <summary>An SQLite store in one file, in WAL mode (see <see cref="SqlFhirStore.Sqlite"/>).</summary>
    public static IFhirStore Sqlite(string path, StoreDurability durability = StoreDurability.Full) => SqlFhirStore.Sqlite(path, durability);
}
