using System.Net.Http.Json;
using System.Text.Json;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>Regie over the years (issue 18; Api/Regie/): the age steps, who holds regie, the checklist "18 jaar", the
/// choice for after 18, legal representations, successors and the care testament. The Api decides every one of these
/// (view-regie, decide-regie, WriteDecision); this client only calls and maps the contracts of Shared/Contracts/Regie.cs.</summary>
public sealed class RegieClient(PgoApi api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Base(string patientId) => $"api/dossiers/{PgoApi.Esc(patientId)}";

    // ---------------------------------------------------------------- turning 18

    /// <summary>The age steps, who holds regie now and after 18, the representations and the checklist (GET .../regie).</summary>
    public Task<RegieOverview> OverviewAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<RegieOverview>($"{Base(patientId)}/regie", cancel);

    /// <summary>Starts the checklist "18 jaar" (idempotent: items already there are kept); <paramref name="owner"/> owns every new item.</summary>
    public Task StartChecklistAsync(string patientId, string? owner, CancellationToken cancel = default) =>
        PostAsync($"{Base(patientId)}/regie/checklist", new StartChecklistRequest(owner), cancel);

    /// <summary>Records the choice for after 18 (the Api writes the Consents as the caller: WriteDecision asks the court
    /// document or the WGBO reason).</summary>
    public Task RecordChoiceAsync(string patientId, RegieChoiceRequest request, CancellationToken cancel = default) =>
        PostAsync($"{Base(patientId)}/regie/choice", request, cancel);

    /// <summary>Records a legal representation (mentor, curator, bewind, WGBO) with its evidence and period.</summary>
    public Task RecordRepresentationAsync(string patientId, RepresentationRequest request, CancellationToken cancel = default) =>
        PostAsync($"{Base(patientId)}/regie/representations", request, cancel);

    /// <summary>Ends a legal representation now (the Consent stays, inactive, with its period's end: the history is kept).</summary>
    public Task EndRepresentationAsync(string patientId, string consentId, CancellationToken cancel = default) =>
        api.DeleteAsync($"{Base(patientId)}/regie/representations/{PgoApi.Esc(consentId)}", cancel);

    // ---------------------------------------------------------------- successors ("als ik er niet meer ben")

    public Task<SuccessorView[]> SuccessorsAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<SuccessorView[]>($"{Base(patientId)}/regie/successors", cancel);

    /// <summary>Names a successor from the network (a RelatedPerson): until a take-over they see nothing of the dossier.</summary>
    public Task NameSuccessorAsync(string patientId, string successor, CancellationToken cancel = default) =>
        PostAsync($"{Base(patientId)}/regie/successors", new SuccessorRequest(successor), cancel);

    /// <summary>Asks the take-over (reason overleden or kan-niet-meer, with the document that shows it).</summary>
    public Task RequestTakeoverAsync(string patientId, string consentId, TakeoverRequest request, CancellationToken cancel = default) =>
        PostAsync($"{Base(patientId)}/regie/successors/{PgoApi.Esc(consentId)}/request", request, cancel);

    /// <summary>Confirms an asked take-over as the caller (the Api knows in which role: the other regiehouder, the supporter).</summary>
    public Task ConfirmTakeoverAsync(string patientId, string consentId, CancellationToken cancel = default) =>
        PostAsync($"{Base(patientId)}/regie/successors/{PgoApi.Esc(consentId)}/confirm", new { }, cancel);

    public Task WithdrawSuccessorAsync(string patientId, string consentId, CancellationToken cancel = default) =>
        api.DeleteAsync($"{Base(patientId)}/regie/successors/{PgoApi.Esc(consentId)}", cancel);

    // ---------------------------------------------------------------- the care testament (section zorgtestament)

    public Task<CareTestament> CareTestamentAsync(string patientId, CancellationToken cancel = default) =>
        api.GetJsonAsync<CareTestament>($"{Base(patientId)}/zorgtestament", cancel);

    /// <summary>Saves the four topics on the version that was read (If-Match): a change by someone else in between is
    /// refused with 412, never overwritten. No version: the first save creates it.</summary>
    public async Task<CareTestament> SaveCareTestamentAsync(string patientId, CareTestament testament, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Base(patientId)}/zorgtestament") { Content = JsonContent.Create(testament, options: Json) };
        if (testament.Version is { Length: > 0 } version)
            request.Headers.TryAddWithoutValidation("If-Match", version.StartsWith("W/", StringComparison.Ordinal) || version.StartsWith('"') ? version : $"W/\"{version}\"");
        return PgoApi.Parse<CareTestament>(await api.SendAsync(request, cancel));
    }

    private async Task PostAsync(string url, object body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        await api.SendAsync(request, cancel);
    }
}
