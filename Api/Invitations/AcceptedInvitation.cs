namespace Pgo.Api.Invitations;

/// <summary>An item of Identity's accepted-invitations feed (Identity/README.md, "Invitations"; JSON in camelCase).</summary>
public sealed record AcceptedInvitation(
    string Id, string Email, string Role, string Patient, string? PatientName, string[] Sections, string Access,
    DateTime? Until, string Status, DateTime? AcceptedAt, string? AcceptedBy, string? AcceptedByFhirUser, Inviter? InvitedBy, string? InvitedByClient,
    string? AcceptedByName = null);

public sealed record Inviter(string? Sub, string? Name, string? FhirUser);

/// <summary>One page of <c>GET /api/invitations/accepted</c>: oldest acceptance first, <c>next</c> = acceptedAt of the last item.</summary>
public sealed record AcceptedPage(AcceptedInvitation[] Items, DateTime? Next);
