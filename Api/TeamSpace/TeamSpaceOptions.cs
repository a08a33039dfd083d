namespace Pgo.Api.TeamSpace;

/// <summary>Configuration section "TeamSpace".</summary>
public sealed class TeamSpaceOptions
{
    public const string Section = "TeamSpace";

    /// <summary>Largest attachment in bytes (default 10 MB).</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The blob container for attachments when <c>Storage:Blobs</c> is set.</summary>
    public string AttachmentContainer { get; set; } = "teamspace-attachments";
}
