using Pgo.Shared.Contracts;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>Time registration (/api/time, /api/dossiers/{id}/time; Api/Time/TimeApi.cs).</summary>
public sealed class TimeClient(PgoApi api)
{
    /// <summary>The time registrations the person may read in every family, with totals per family and per activity.</summary>
    public Task<TimeSheet> TimeSheetAsync(DateOnly from, DateOnly to, CancellationToken cancel = default) =>
        api.GetJsonAsync<TimeSheet>($"api/time?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", cancel);

    /// <summary>The 18 supporter activities (code → Dutch name) from the project CodeSystem the Api serves at /fhir.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> SupporterActivitiesAsync(CancellationToken cancel = default) =>
        (await api.SearchAsync<FM.CodeSystem>($"CodeSystem?url={PgoApi.Esc("https://fhir.pgo-platform.nl/CodeSystem/ondersteuningsactiviteit")}", cancel))
            .SelectMany(c => c.Concept).Where(c => c.Code is not null).Select(c => (Code: c.Code!, Name: c.Display ?? c.Code!)).ToList();

    public Task<TimeEntry> RegisterTimeAsync(string patientId, TimeRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<TimeEntry>(HttpMethod.Post, $"api/dossiers/{PgoApi.Esc(patientId)}/time", request, cancel);
}
