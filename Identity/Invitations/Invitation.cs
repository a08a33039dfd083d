using Pgo.Identity.Accounts;

namespace Pgo.Identity.Invitations;

/// <summary>
/// An invitation by e-mail to join a family's dossier, with a proposed role and access grant. It grants
/// nothing itself: only once accepted does it appear in the feed the Api reads
/// (<c>GET /api/invitations/accepted</c>), and the Api turns it into a FHIR Consent.
/// The link holds a random secret; only its SHA-256 hash is stored.
/// </summary>
public sealed class Invitation
{
    public string Id { get; set; } = "";
    public string TokenHash { get; set; } = "";

    /// <summary>Who is invited (as typed, compared case-insensitively).</summary>
    public string Email { get; set; } = "";

    /// <summary>One of <see cref="InvitationRoles.All"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>The FHIR Patient id of the dossier, without "Patient/".</summary>
    public string PatientId { get; set; } = "";

    /// <summary>How the dossier is named to the invitee, e.g. "Kim de Wit".</summary>
    public string PatientLabel { get; set; } = "";

    /// <summary>The proposed sections (DOMAIN.md section 2 codes: profiel, plan, doelen, ...), comma-separated.</summary>
    public string Sections { get; set; } = "";

    /// <summary>"read" or "write".</summary>
    public string Access { get; set; } = InvitationAccess.Read;

    /// <summary>The proposed end of the grant (UTC), or null for "until revoked".</summary>
    public DateTime? Until { get; set; }

    /// <summary>A personal note from the inviter, shown on the page and in the mail.</summary>
    public string? Message { get; set; }

    /// <summary>The account (sub) that invited; for a system client, the person it acted for.</summary>
    public string InvitedBy { get; set; } = "";
    public string InvitedByName { get; set; } = "";
    public string? InvitedByFhirUser { get; set; }

    /// <summary>The client that created it (pgo-portal, pgo-system, ...).</summary>
    public string? InvitedByClient { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? WithdrawnAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public string? AcceptedBy { get; set; }
    public string? AcceptedByFhirUser { get; set; }

    public InvitationStatus StatusAt(DateTime now) =>
        AcceptedAt is not null ? InvitationStatus.Accepted
        : WithdrawnAt is not null ? InvitationStatus.Withdrawn
        : now >= ExpiresAt ? InvitationStatus.Expired
        : InvitationStatus.Pending;

    public IReadOnlyList<string> SectionList =>
        Sections.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public enum InvitationStatus { Pending, Accepted, Withdrawn, Expired }

public static class InvitationAccess
{
    public const string Read = "read";
    public const string Write = "write";
}

/// <summary>The roles someone can be invited as (an administrator is never invited). A regiehouder may invite a second
/// regiehouder (the other parent, issue 18): the Api writes the regie Consent only if the inviter holds regie themselves.</summary>
public static class InvitationRoles
{
    public static readonly IReadOnlyList<string> All = [Roles.Family, Roles.Supporter, Roles.Professional, Roles.Agency, Roles.Regiehouder];

    /// <summary>Regie is the whole dossier: an invitation as regiehouder names no sections.</summary>
    public static bool NamesSections(string? role) => role != Roles.Regiehouder;
}
