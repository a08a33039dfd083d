using Pgo.Fhir.Storage;

namespace Pgo.Api.Fhir;

/// <summary>Configuration section <c>Storage</c>: what an acknowledged write survives, and the blob store.
/// The databases themselves are <c>ConnectionStrings:Fhir</c> and <c>ConnectionStrings:TeamSpace</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"full" (every acknowledged commit fsync'd, the default) or "normal" (SQLite's faster mode that an OS
    /// crash can undo; outside Development only with <see cref="AllowNonDurable"/>). ADR 2.</summary>
    public string Durability { get; set; } = "full";

    /// <summary>The operator's explicit yes to <see cref="Durability"/> "normal" outside Development.</summary>
    public bool AllowNonDurable { get; set; }

    /// <summary>Blob storage connection string (Azurite locally, Azure Storage in production) for dossier documents and
    /// team-space attachments. Empty: documents answer 503, attachments go to the data folder.</summary>
    public string? Blobs { get; set; }

    /// <summary><see cref="Durability"/> as the store's mode; null when it is neither "full" nor "normal".</summary>
    public StoreDurability? DurabilityMode => Durability switch
    {
        null or "" => StoreDurability.Full,
        var v when v.Equals("full", StringComparison.OrdinalIgnoreCase) => StoreDurability.Full,
        var v when v.Equals("normal", StringComparison.OrdinalIgnoreCase) => StoreDurability.Normal,
        _ => null,
    };
}

/// <summary>Configuration section <c>Pgo:Benchmark</c>: switches for the benchmark's comparison runs, Development only.</summary>
public sealed class BenchmarkOptions
{
    public const string Section = "Pgo:Benchmark";

    /// <summary>Access control off (every read unrestricted), to measure what it costs. Refused outside Development.</summary>
    public bool AccessOff { get; set; }

    /// <summary>The consent policy looks a caller's grants up on every request instead of keeping them while the access
    /// stamp stands: only to measure what that cache saves (bench/run.sh). Stricter, never looser, so allowed anywhere.</summary>
    public bool ScopeCacheOff { get; set; }
}
