namespace Pgo.Shared.Contracts;

// Identity's invitation API (Identity/README.md, "Invitations") as the Portal reads it.

/// <summary>Identity's invitation (Identity/README.md, "Invitations").</summary>
public sealed record Invitation(string Id, string Email, string Role, string Patient, string? PatientName, string[] Sections, string Access,
    DateTimeOffset? Until, string? Message, string Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record InvitationRequest(string Email, string Role, string Patient, string PatientName, string[] Sections, string Access,
    DateOnly? Until, string? Message);
