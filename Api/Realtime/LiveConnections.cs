using System.Collections.Concurrent;
using Pgo.Fhir.Access;

namespace Pgo.Api.Realtime;

/// <summary>
/// The dossier-hub connections of this process: who they are, their compiled access, and per joined dossier the last
/// cursor they were sent. The dispatcher checks every event against <see cref="LiveConnection.Scope"/> (the one
/// access decision, compiled by ConsentAccessPolicy), so delivery follows the grant per connection, denies included.
/// </summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, LiveConnection> _all = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, LiveConnection>> _byPatient = new();

    public LiveConnection Connected(string connectionId, CallerContext caller, string? name = null) =>
        _all[connectionId] = new LiveConnection(connectionId, caller) { Name = name };

    public void Disconnected(string connectionId)
    {
        if (!_all.TryRemove(connectionId, out var c)) return;
        foreach (var patient in c.JoinedPatients()) Unindex(patient, connectionId);
    }

    public LiveConnection? Get(string connectionId) => _all.TryGetValue(connectionId, out var c) ? c : null;

    public IReadOnlyCollection<LiveConnection> All => (IReadOnlyCollection<LiveConnection>)_all.Values;

    public int Count => _all.Count;

    public IEnumerable<LiveConnection> JoinedTo(string patientId) =>
        _byPatient.TryGetValue(patientId, out var set) ? set.Values : [];

    public void Index(string patientId, LiveConnection c) =>
        _byPatient.GetOrAdd(patientId, _ => new ConcurrentDictionary<string, LiveConnection>())[c.Id] = c;

    public void Unindex(string patientId, string connectionId)
    {
        if (_byPatient.TryGetValue(patientId, out var set)) set.TryRemove(connectionId, out _);
    }
}

/// <summary>One connection. <see cref="Gate"/> orders a join's replay with the live feed: whichever runs first, the other
/// skips what was sent (cursor ≤ last sent).</summary>
public sealed class LiveConnection(string id, CallerContext caller)
{
    private readonly ConcurrentDictionary<string, long> _joined = new(StringComparer.Ordinal);

    public string Id { get; } = id;
    public CallerContext Caller { get; } = caller;

    /// <summary>The display name in the token (for presence), if any.</summary>
    public string? Name { get; init; }
    public AccessScope Scope { get; set; } = AccessScope.Nothing("not joined yet");
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The items (patient, e.g. DocumentReference/123) where this connection shows presence.</summary>
    public ConcurrentDictionary<(string PatientId, string Item), byte> PresenceItems { get; } = new();

    /// <summary>Under <see cref="Gate"/>: the last cursor handled for a joined dossier.</summary>
    public bool TryGetLast(string patientId, out long last) => _joined.TryGetValue(patientId, out last);

    public void SetLast(string patientId, long cursor) => _joined[patientId] = cursor;

    public bool Leave(string patientId) => _joined.TryRemove(patientId, out _);

    public IReadOnlyList<string> JoinedPatients() => _joined.Keys.ToList();
}
