using Pgo.Shared.Codes;
using Pgo.Api.Invitations;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Notifications.Rules;

/// <summary>
/// "Uitnodiging geaccepteerd": when an accepted invitation has become a grant (<see cref="InvitationGrants"/>), the one
/// who invited is told, if they may still read the dossier's grants (the toegang section). The key is the invitation,
/// so an item the feed handles again tells nobody twice.
/// </summary>
public sealed class InvitationNotices(NotificationSink sink, NotificationAudience audience, TimeProvider clock)
{
    public async Task AcceptedAsync(AcceptedInvitation item, string patientId, string consentId, CancellationToken ct)
    {
        if (item.InvitedBy?.FhirUser is not { } inviter || !inviter.StartsWith("Person/", StringComparison.Ordinal)) return;
        if (inviter == item.AcceptedByFhirUser) return;
        var scope = await audience.ScopeAsync(inviter, ct);
        if (!scope.CanRead("Consent", consentId, Section.Toegang, [patientId])) return;
        await sink.AddAsync(new NewNotification(inviter, $"invitation:{item.Id}", NotificationKinds.InvitationAccepted, patientId,
            Section.Toegang, $"Consent/{consentId}", item.AcceptedByFhirUser, item.AcceptedByName, clock.GetUtcNow()), ct);
    }
}
