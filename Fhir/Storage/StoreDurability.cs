namespace Pgo.Fhir.Storage;

/// <summary>What an acknowledged commit survives (docs/adr/0002-sqlite-durability.md).</summary>
public enum StoreDurability
{
    /// <summary>The default: fsync'd before the commit is acknowledged; survives a power loss or OS crash.</summary>
    Full,

    /// <summary>SQLite WAL with synchronous=NORMAL: survives the process being killed, not an OS crash. Explicit only;
    /// production refuses it unless Storage:AllowNonDurable is set.</summary>
    Normal,
}
