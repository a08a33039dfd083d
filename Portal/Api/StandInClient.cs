using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>Stand-ins, a change of supporter and what changed in access (Api/Access, issue 18; records in
/// Shared/Contracts/Regie.cs), and the age step the dossier's start shows (GET .../regie). The Api decides who may do
/// each: a refusal comes back as its Dutch ProblemDetails.</summary>
public sealed class StandInClient(PgoApi api)
{
    private static string Esc(string value) => PgoApi.Esc(value);

    /// <summary>The coach's view: the grants of the team's supporters that allow stand-ins, with the stand-ins named on them.</summary>
    public async Task<IReadOnlyList<StandInCandidate>> CandidatesAsync(CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<StandInCandidate>>("api/stand-ins", cancel);

    /// <summary>Names a colleague of the supporter as stand-in for a period (a regiehouder, or the supporter's team coach).</summary>
    public Task<GrantView> NameAsync(string patientId, StandInRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<GrantView>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/stand-ins", request, cancel);

    /// <summary>Stops a stand-in now (by whoever manages access, or the supporter's team coach).</summary>
    public Task StopAsync(string patientId, string consentId, CancellationToken cancel = default) =>
        api.DeleteAsync($"api/dossiers/{Esc(patientId)}/access/stand-ins/{Esc(consentId)}", cancel);

    /// <summary>The supporter's colleagues in the same team: who can stand in for them or take over.</summary>
    public async Task<IReadOnlyList<ColleagueView>> ColleaguesAsync(string patientId, string grantId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<ColleagueView>>($"api/dossiers/{Esc(patientId)}/access/grants/{Esc(grantId)}/colleagues", cancel);

    /// <summary>Moves a supporter's grant to another supporter with a handover note (one transaction at the Api).</summary>
    public Task<TransferResult> TransferAsync(string patientId, string grantId, TransferRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<TransferResult>(HttpMethod.Post, $"api/dossiers/{Esc(patientId)}/access/grants/{Esc(grantId)}/transfer", request, cancel);

    /// <summary>What changed in access, newest first, with who did it (ByOther: someone else than the person).</summary>
    public async Task<IReadOnlyList<AccessChange>> ChangesAsync(string patientId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<AccessChange>>($"api/dossiers/{Esc(patientId)}/access/changes", cancel);

    /// <summary>Who holds regie and the age steps (GET /api/dossiers/{id}/regie), for the card on the dossier's start.</summary>
    public Task<RegieOverview> RegieAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<RegieOverview>($"api/dossiers/{Esc(patientId)}/regie", cancel);
}
