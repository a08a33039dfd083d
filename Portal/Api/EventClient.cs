using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>Events that count and procedures (issue 20; /api/dossiers/{id}/events, /api/procedures/upcoming; Api/Events/EventsApi.cs).</summary>
public sealed class EventClient(PgoApi api)
{
    /// <summary>The register of one dossier: events of a period (newest first), optionally of one type, with the counts per type.</summary>
    public Task<EventRegister> RegisterAsync(string patientId, string? type, DateOnly? from, DateOnly? to, CancellationToken cancel = default)
    {
        var query = new List<string>();
        if (type is { Length: > 0 }) query.Add($"type={PgoApi.Esc(type)}");
        if (from is { } f) query.Add($"from={f:yyyy-MM-dd}");
        if (to is { } t) query.Add($"to={t:yyyy-MM-dd}");
        var suffix = query.Count > 0 ? "?" + string.Join("&", query) : "";
        return api.GetJsonAsync<EventRegister>($"api/dossiers/{PgoApi.Esc(patientId)}/events{suffix}", cancel);
    }

    public Task<EventView> RecordAsync(string patientId, EventRequest request, CancellationToken cancel = default) =>
        api.SendJsonAsync<EventView>(HttpMethod.Post, $"api/dossiers/{PgoApi.Esc(patientId)}/events", request, cancel);

    /// <summary>Changes an event on the version the person saw (<see cref="EventUpdate.Version"/>): a change by someone else in
    /// between is refused (409, "Intussen gewijzigd") and nothing is overwritten.</summary>
    public Task<EventView> UpdateAsync(string patientId, string eventId, EventUpdate update, CancellationToken cancel = default) =>
        api.SendJsonAsync<EventView>(HttpMethod.Put, $"api/dossiers/{PgoApi.Esc(patientId)}/events/{PgoApi.Esc(eventId)}", update, cancel);

    /// <summary>The open procedures with a deadline up to <paramref name="days"/> ahead (and those past it) in every family the person reads.</summary>
    public Task<EventView[]> UpcomingAsync(int days, CancellationToken cancel = default) =>
        api.GetJsonAsync<EventView[]>($"api/procedures/upcoming?days={days}", cancel);
}
