using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Pgo.Api.Realtime;

/// <summary>
/// Who views or edits a note or plan right now. Entries are per connection; with Redis (SignalR:Redis) they live in a
/// Redis hash per item so every instance sees the same list, otherwise in this process. Changes go to the item's
/// presence group through the hub (and so through the backplane to the other instances).
/// Entries of an instance that dies without closing its connections expire with the hash (12 hours).
/// </summary>
public sealed class PresenceBoard(RedisBackplane? backplane = null)
{
    public const string Viewing = "viewing";
    public const string Editing = "editing";

    private static readonly TimeSpan Expiry = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, PresenceEntry>> _local = new();

    public static string Group(string patientId, string item) => $"presence:{patientId}:{item}";

    private static string Key(string patientId, string item) => $"{patientId}|{item}";

    /// <summary>Sets (or with a null state removes) the connection's presence on the item and returns who is there now.</summary>
    public async Task<IReadOnlyList<PresenceEntry>> SetAsync(string patientId, string item, string connectionId, string who, string? state, string? name = null)
    {
        var key = Key(patientId, item);
        if (backplane is not null)
        {
            var db = await backplane.DatabaseAsync();
            var redisKey = new RedisKey("pgo:presence:" + key);
            if (state is null) await db.HashDeleteAsync(redisKey, connectionId);
            else
            {
                await db.HashSetAsync(redisKey, connectionId, who + "\n" + state + (name is null ? "" : "\n" + name));
                await db.KeyExpireAsync(redisKey, Expiry);
            }
            var all = await db.HashGetAllAsync(redisKey);
            return Distinct(all.Select(e => ((string)e.Value!).Split('\n')).Where(p => p.Length >= 2).Select(p => new PresenceEntry(p[0], p[1], p.Length > 2 ? p[2] : null)));
        }
        var entries = _local.GetOrAdd(key, _ => new ConcurrentDictionary<string, PresenceEntry>());
        if (state is null) entries.TryRemove(connectionId, out _);
        else entries[connectionId] = new PresenceEntry(who, state, name);
        return Distinct(entries.Values);
    }

    // One line per person: editing wins over viewing when the same person has two tabs open.
    private static IReadOnlyList<PresenceEntry> Distinct(IEnumerable<PresenceEntry> entries) =>
        entries.GroupBy(e => e.Who, StringComparer.Ordinal)
            .Select(g => new PresenceEntry(g.Key, g.Any(e => e.State == Editing) ? Editing : Viewing, g.Select(e => e.Name).FirstOrDefault(n => n is not null)))
            .OrderBy(e => e.Who, StringComparer.Ordinal).ToList();

    /// <summary>Sets the presence, keeps the connection's group membership in step, and tells the item's group.</summary>
    public async Task ChangeAsync(LiveConnection c, string patientId, string item, string? state, IHubContext<DossierHub> hub, CancellationToken ct)
    {
        var group = Group(patientId, item);
        if (state is null)
        {
            c.PresenceItems.TryRemove((patientId, item), out _);
            await hub.Groups.RemoveFromGroupAsync(c.Id, group, ct);
        }
        else
        {
            c.PresenceItems[(patientId, item)] = 0;
            await hub.Groups.AddToGroupAsync(c.Id, group, ct);
        }
        var people = await SetAsync(patientId, item, c.Id, c.Caller.FhirUser ?? c.Caller.Subject, state, c.Name);
        await hub.Clients.Group(group).SendAsync(LiveEvents.Presence, new PresenceMessage(patientId, item, people), ct);
        // The one who left is out of the group: tell it the list too, so its screen is not stale.
        if (state is null) await hub.Clients.Client(c.Id).SendAsync(LiveEvents.Presence, new PresenceMessage(patientId, item, people), ct);
    }

    /// <summary>Removes the connection from every item of the dossier (it left, lost access, or disconnected).</summary>
    public async Task LeaveDossierAsync(LiveConnection c, string? patientId, IHubContext<DossierHub> hub, CancellationToken ct)
    {
        foreach (var (patient, item) in c.PresenceItems.Keys.Where(k => patientId is null || k.PatientId == patientId).ToList())
            await ChangeAsync(c, patient, item, null, hub, ct);
    }
}
