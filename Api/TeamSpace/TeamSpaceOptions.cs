namespace Pgo.Api.TeamSpace;

/// <summary>Configuration section "TeamSpace".</summary>
public sealed class TeamSpaceOptions
{
    public const string Section = "TeamSpace";

    /// <summary>Largest attachment in bytes (default 10 MB).</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The blob container for attachments when <c>Storage:Blobs</c> is set.</summary>
    public string AttachmentContainer { get; set; } = "teamspace-attachments";

    /// <summary>Extra caseloads for the de-identification guard, next to the demo families' (Safety/ConfiguredCaseloadNames.cs).</summary>
    public List<ConfiguredCaseload> Caseloads { get; set; } = [];
}

/// <summary>One entry of <c>TeamSpace:Caseloads</c>: a member (e.g. <c>Person/...</c>) and the people they support.</summary>
public sealed class ConfiguredCaseload
{
    public string? Member { get; set; }

    public List<ConfiguredCaseloadPerson> People { get; set; } = [];
}

/// <summary>A person in a configured caseload, by name.</summary>
public sealed class ConfiguredCaseloadPerson
{
    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }
}
