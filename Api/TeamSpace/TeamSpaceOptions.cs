namespace Pgo.Api.TeamSpace;

/// <summary>Configuration section "TeamSpace".</summary>
public sealed class TeamSpaceOptions
{
    /// <summary>Largest attachment in bytes (default 10 MB).</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;
}
