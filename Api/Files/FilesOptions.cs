namespace Pgo.Api.Files;

/// <summary>Settings of the Files feature (section <c>Files</c>; the blob connection string is <c>Storage:Blobs</c>).</summary>
public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary>Largest upload, in bytes (413 above it). Default 25 MB.</summary>
    public long MaxUploadBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>The blob container that holds dossier documents.</summary>
    public string Container { get; set; } = "dossier-documents";

    /// <summary>How old a blob without metadata must be before the cleanup removes it (an upload in progress is younger).</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the cleanup and the scheduled deletions run.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest export zip accepted by the import, in bytes. Default 2 GB.</summary>
    public long MaxImportBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How long a regiehouder can still cancel the deletion of a dossier.</summary>
    public TimeSpan DeletionGrace { get; set; } = TimeSpan.FromDays(30);
}
