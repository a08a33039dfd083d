using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>Referral and intake (issue 20; Api/Practice/ReferralApi): the professional refers and follows the status, the
/// team's coach lists and assigns, the assigned supporter records the intake, the family answers the request.</summary>
public sealed class ReferralClient(PgoApi api)
{
    public Task<ReferralTeam[]> TeamsAsync(CancellationToken cancel = default) => api.GetJsonAsync<ReferralTeam[]>("api/referrals/teams", cancel);

    public Task<ReferralTeam[]> CoachedTeamsAsync(CancellationToken cancel = default) => api.GetJsonAsync<ReferralTeam[]>("api/referrals/coached", cancel);

    public Task<ReferralView> ReferAsync(ReferralInput input, CancellationToken cancel = default) =>
        api.SendJsonAsync<ReferralView>(HttpMethod.Post, "api/referrals", input, cancel);

    public Task<ReferralView[]> MineAsync(CancellationToken cancel = default) => api.GetJsonAsync<ReferralView[]>("api/referrals/mine", cancel);

    public Task<TeamReferrals> OfTeamAsync(long teamId, CancellationToken cancel = default) =>
        api.GetJsonAsync<TeamReferrals>($"api/referrals?team={teamId}", cancel);

    public Task<ReferralView> AssignAsync(long id, string supporter, CancellationToken cancel = default) =>
        api.SendJsonAsync<ReferralView>(HttpMethod.Post, $"api/referrals/{id}/assign", new ReferralAssign(supporter), cancel);

    public Task<ReferralView> IntakeAsync(long id, ReferralIntake intake, CancellationToken cancel = default) =>
        api.SendJsonAsync<ReferralView>(HttpMethod.Post, $"api/referrals/{id}/intake", intake, cancel);

    public Task<ReferralAccessRequest[]> RequestsAsync(CancellationToken cancel = default) =>
        api.GetJsonAsync<ReferralAccessRequest[]>("api/referrals/requests", cancel);

    public Task<ReferralView> AcceptAsync(long id, string patientId, CancellationToken cancel = default) =>
        api.SendJsonAsync<ReferralView>(HttpMethod.Post, $"api/referrals/requests/{id}/accept", new ReferralAccept(patientId), cancel);

    public Task<ReferralView> DeclineAsync(long id, CancellationToken cancel = default) =>
        api.SendJsonAsync<ReferralView>(HttpMethod.Post, $"api/referrals/requests/{id}/decline", new { }, cancel);
}
