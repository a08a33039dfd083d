using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>The supporter's time (issue 20; Api/Practice): the own sheet, registering for a family or outside one, the
/// author's edit within the edit period, corrections with a reason; and the family's read-only view of one dossier.</summary>
public sealed class TimeClient(PgoApi api)
{
    /// <summary>The caller's own time registrations with totals per family and per activity, corrections applied.</summary>
    public Task<TimeSheet> TimeSheetAsync(DateOnly from, DateOnly to, CancellationToken cancel = default) =>
        api.GetJsonAsync<TimeSheet>($"api/time?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", cancel);

    /// <summary>The time spent on one family (read-only; the consent decides whether the caller sees it).</summary>
    public Task<TimeSheet> DossierTimeAsync(string patientId, DateOnly from, DateOnly to, CancellationToken cancel = default) =>
        api.GetJsonAsync<TimeSheet>($"api/dossiers/{PgoApi.Esc(patientId)}/time?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", cancel);

    /// <summary>The activities: the 18 with a family and the ones outside a family.</summary>
    public Task<TimeActivity[]> ActivitiesAsync(CancellationToken cancel = default) => api.GetJsonAsync<TimeActivity[]>("api/time/activities", cancel);

    public Task<TimeEntry> RegisterTimeAsync(TimeRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<TimeEntry>(HttpMethod.Post, "api/time", request, cancel);

    public Task<TimeEntry> EditAsync(string entryId, TimeEdit edit, CancellationToken cancel = default) =>
        api.SendJsonAsync<TimeEntry>(HttpMethod.Put, $"api/time/{PgoApi.Esc(entryId)}", edit, cancel);

    public Task<TimeEntry> CorrectAsync(string entryId, TimeCorrection correction, CancellationToken cancel = default) =>
        api.SendJsonAsync<TimeEntry>(HttpMethod.Post, $"api/time/{PgoApi.Esc(entryId)}/corrections", correction, cancel);

    /// <summary>The coach's view: minutes per member of their teams, per activity and month (yyyy-MM), without families or
    /// notes; null for whoever coaches no team (the Api's 403).</summary>
    public async Task<TeamTimeTotal[]?> TeamTotalsAsync(DateOnly from, DateOnly to, CancellationToken cancel = default)
    {
        try
        {
            return await api.GetJsonAsync<TeamTimeTotal[]>($"api/time/team?from={from:yyyy-MM}&to={to:yyyy-MM}", cancel);
        }
        catch (ApiException e) when (e.Status == System.Net.HttpStatusCode.Forbidden)
        {
            return null;
        }
    }
}
