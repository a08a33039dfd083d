namespace Pgo.Shared.Contracts;

// Events that count and procedures (issue 20, section gebeurtenissen; Api/Events/EventsApi.cs, docs/adr/0005-dossier-mapping.md)
// as the Api sends them and the Portal reads them; checked against the Api by the contract test.

/// <summary>A new event (POST /api/dossiers/{id}/events). Dates are <c>yyyy-MM-dd</c>; codes are those of <c>Shared/Codes/EventCodes</c>.</summary>
/// <param name="Links">References to documents and agreements of the same dossier (<c>DocumentReference/..</c>, <c>Task/..</c>).</param>
/// <param name="Decision">The decision document (<c>DocumentReference/..</c>) of a procedure.</param>
/// <param name="SharePackage">The share package (<c>Consent/..</c>) that went to the instantie.</param>
/// <param name="Contests">For a bezwaar, beroep or klacht: the event of the same dossier it contests (<c>Basic/..</c>).</param>
public sealed record EventRequest(string? Type, string? Date, string? Description, string? Regeling, string? Instantie, string[]? Links,
    string? Status, string? Deadline, string? DeadlineKind, string? Decision, string? Outcome, string? SharePackage, string? Contests = null);

/// <summary>A change of an event (PUT /api/dossiers/{id}/events/{eventId}): the whole event as it should be, on the version
/// the caller saw (this <paramref name="Version"/> or an If-Match header). The type cannot change; a field left out is cleared.</summary>
public sealed record EventUpdate(int? Version, string? Date, string? Description, string? Regeling, string? Instantie, string[]? Links,
    string? Status, string? Deadline, string? DeadlineKind, string? Decision, string? Outcome, string? SharePackage, string? Contests = null);

/// <param name="DaysLeft">Days from today (Dutch time) to the deadline while the procedure is open; negative once it has passed.</param>
public sealed record ProcedureView(string? Status, string? StatusName, string? Deadline, string? DeadlineKind, string? DeadlineKindName,
    int? DaysLeft, string? Decision, string? Outcome, string? OutcomeName, string? SharePackage);

/// <param name="Version">The stored version: send it back with a change.</param>
/// <param name="Contests">The event this one contests (<c>Basic/..</c>), for a bezwaar, beroep or klacht.</param>
public sealed record EventView(string Id, string PatientId, string Type, string TypeName, string Date, string? Description,
    string? Regeling, string? RegelingName, string? Instantie, string? InstantieName, string[] Links, string? Author, string? AuthorName,
    ProcedureView? Procedure, int Version, string? Contests);

public sealed record TypeCount(string Type, string Name, int Count);

/// <summary>A family's events of a period (newest first) with the count per type.</summary>
public sealed record EventRegister(string From, string To, int Total, TypeCount[] Counts, EventView[] Events);
