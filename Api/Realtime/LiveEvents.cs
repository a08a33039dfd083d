using Pgo.Fhir.Storage;

namespace Pgo.Api.Realtime;

/// <summary>The messages of <c>/hubs/dossier</c> (server → client), and what the client's calls return.</summary>
public static class LiveEvents
{
    /// <summary>A change in a section the connection may see: <see cref="ChangeMessage"/>.</summary>
    public const string Change = "change";

    /// <summary>The connection may no longer see the dossier and has left its feed: <see cref="AccessRevokedMessage"/>.</summary>
    public const string AccessRevoked = "accessRevoked";

    /// <summary>The connection still sees the dossier, but not the same as before (a share package ended, a section was
    /// added or taken away): reload. Body: <see cref="AccessRevokedMessage"/> (patient and a Dutch message).</summary>
    public const string AccessChanged = "accessChanged";

    /// <summary>Who views or edits an item now: <see cref="PresenceMessage"/>.</summary>
    public const string Presence = "presence";
}

/// <summary>One change. <paramref name="Cursor"/> grows; a client keeps the last one it saw, ignores any it has seen, and sends it when it joins again.</summary>
/// <param name="WhoName">the name of <paramref name="Who"/> (<see cref="PersonNames"/>), null when it has none</param>
public sealed record ChangeMessage(long Cursor, string PatientId, string ResourceType, string Id, int Version, string Change,
    string? Section, string? Who, string? Summary, DateTimeOffset Recorded, string? WhoName = null)
{
    public static ChangeMessage From(ChangeEvent e, string patientId, string? whoName = null) =>
        new(e.Cursor, patientId, e.Type, e.Id, e.Version, e.Change, e.Section, e.Who, e.Summary, e.Recorded, whoName);
}

public sealed record AccessRevokedMessage(string PatientId, string Message);

/// <param name="Cursor">the cursor the feed continues from (keep it for the next join)</param>
/// <param name="Replayed">events sent because the client asked for what it missed</param>
/// <param name="Complete">false when part of what was missed is older than the retention window (or beyond the replay limit): reload the dossier</param>
public sealed record JoinResult(string PatientId, long Cursor, int Replayed, bool Complete);

/// <param name="Item">the note or plan, e.g. DocumentReference/123</param>
/// <param name="People">who is there now: fhirUser and state (viewing, editing)</param>
public sealed record PresenceMessage(string PatientId, string Item, IReadOnlyList<PresenceEntry> People);

/// <summary><paramref name="Name"/>: the display name from the person's token (name claim), so that others see a name, not a Person id they may not read.</summary>
public sealed record PresenceEntry(string Who, string State, string? Name = null);
