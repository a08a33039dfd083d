using System.Globalization;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>Invitations to a dossier: Identity's API (/api/invitations under the Authority), not the Api's.</summary>
public sealed class InvitationClient(PgoApi api)
{
    public Task<Invitation> InviteAsync(InvitationRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<Invitation>(HttpMethod.Post, $"{api.IdentityUrl}/api/invitations", new
        {
            request.Email, request.Role, request.Patient, request.PatientName, request.Sections, request.Access,
            Until = request.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), request.Message,
        }, cancel);

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(string patientId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<Invitation>>($"{api.IdentityUrl}/api/invitations?patient={PgoApi.Esc(patientId)}", cancel);

    public Task WithdrawInvitationAsync(string id, CancellationToken cancel = default) =>
        api.DeleteAsync($"{api.IdentityUrl}/api/invitations/{PgoApi.Esc(id)}", cancel);
}
