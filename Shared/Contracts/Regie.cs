namespace Pgo.Shared.Contracts;

// Regie over the years and the whole family (issue 18): the Api's answers (camelCase JSON) as the Portal reads them.
// Codes: Shared/Codes/RegieCodes.cs. Rules: docs/adr/0003-consent-model.md, "Regie over the years".

// ---------------------------------------------------------------- turning 18 (Api/Regie/)

/// <summary>GET /api/dossiers/{id}/regie: the age steps, who holds regie now and after 18, the legal representations,
/// the checklist "18 jaar". For the regiehouders, the client and the supporters of the dossier (others 403/404).</summary>
/// <param name="Stage">kind (under 12), 12-16, 16-18, volwassen, onbekend (no birth date).</param>
/// <param name="RegieState">ouders (a representative holds regie before 18), client (the client holds it), vertegenwoordiger
/// (mentor, curator or WGBO representative after 18), voorlopig (after 18, no legal basis, the client has no account yet:
/// the parents' regie continues so that the dossier is never orphaned).</param>
/// <param name="ChoiceNeeded">True from the start of the transition track while no choice is recorded (and after 18 while voorlopig).</param>
/// <param name="Checklist">The checklist "18 jaar" as agreements; empty when not started (or not shared with the caller: see ChecklistShared).</param>
/// <param name="Viewer">How the caller relates: regiehouder, client, ondersteuner (the Portal words its explanations by it).</param>
public sealed record RegieOverview(
    string PatientId,
    string Name,
    string? BirthDate,
    int? Age,
    string Stage,
    string RegieState,
    string[] Regiehouders,
    RegieMilestone[] Milestones,
    bool TransitionOpen,
    bool ChoiceNeeded,
    RegieChoiceView? Choice,
    RepresentationView[] Representations,
    ChecklistItemView[] Checklist,
    bool ChecklistShared,
    string Viewer,
    bool CanDecide);

/// <summary>An age step (RegieCodes.Milestones): its day (yyyy-MM-dd), whether it has passed, and the plain explanation
/// for the client and for the parents.</summary>
public sealed record RegieMilestone(string Code, string Day, bool Passed, string ForClient, string ForParents);

/// <summary>The recorded choice for after 18 (RegieCodes.After18), who recorded it and when.</summary>
public sealed record RegieChoiceView(string Code, string Display, string? RecordedBy, DateTimeOffset? RecordedAt, string ConsentId);

/// <summary>A legal representation (mentor, curator, bewind, WGBO): who, on what basis, for which period, on what evidence.</summary>
/// <param name="Document">The court decision (DocumentReference id) when recorded; its title in DocumentTitle.</param>
/// <param name="ClientAccess">RegieCodes.ClientAccess code: what the client keeps meanwhile.</param>
public sealed record RepresentationView(string ConsentId, string Basis, string BasisDisplay, string[] Representatives, string? From, string? Until,
    string? Document, string? DocumentTitle, string? Reason, string ClientAccess, bool InForce);

/// <summary>One agreement of the checklist "18 jaar" (a Task with a checklist-18 code).</summary>
public sealed record ChecklistItemView(string TaskId, string Code, string Title, string Status, string? Owner, string? OwnerName, string? Due, bool Overdue);

/// <summary>POST /api/dossiers/{id}/regie/checklist: start the checklist (idempotent: items present are kept). Owner
/// (a record of the dossier, as for any agreement) is set on every new item; due dates follow the 18th birthday.</summary>
public sealed record StartChecklistRequest(string? Owner = null);

/// <summary>POST /api/dossiers/{id}/regie/choice: record the choice for after 18.</summary>
/// <param name="Choice">RegieCodes.After18 code.</param>
/// <param name="Representatives">For vertegenwoordiger and wgbo: the records (RelatedPerson/...) who represent; default the current regiehouders.</param>
/// <param name="Supporters">For client-met-steun: who keeps helping (records), with SupportSections (default: every section but financien), read and write.</param>
/// <param name="Basis">For vertegenwoordiger: mentor or curator.</param>
/// <param name="Document">For vertegenwoordiger: the court decision (DocumentReference id in this dossier).</param>
/// <param name="Reason">For wgbo: why the client cannot decide.</param>
public sealed record RegieChoiceRequest(string Choice, string[]? Representatives = null, string[]? Supporters = null, string[]? SupportSections = null,
    string? Basis = null, string? Document = null, string? Reason = null, string? From = null, string? Until = null, string? ClientAccess = null);

/// <summary>POST /api/dossiers/{id}/regie/representations: record a legal representation (mentor, curator, bewind, wgbo)
/// with its evidence (Document for court bases, Reason for wgbo) and period (yyyy-MM-dd).</summary>
public sealed record RepresentationRequest(string Basis, string[] Representatives, string? Document, string? Reason, string? From, string? Until,
    string? ClientAccess = null);

// ---------------------------------------------------------------- successor and care testament (Api/Regie/Succession)

/// <summary>GET /api/dossiers/{id}/regie/successors: the named successors. State: genoemd (named, sees nothing), aangevraagd
/// (a take-over was asked; confirmations are gathered), overgenomen (done: the successor holds regie), ingetrokken.</summary>
/// <param name="ForRegiehouder">The regiehouder whom the successor follows (record), and their name.</param>
/// <param name="StillNeeded">Who must still confirm, in words ("de andere regiehouder", "de ondersteuner", "een document").</param>
public sealed record SuccessorView(string ConsentId, string Successor, string SuccessorName, string ForRegiehouder, string? ForRegiehouderName,
    string State, SuccessionRequestView? Request, SuccessionConfirmationView[] Confirmations, string[] StillNeeded, bool MayConfirm, bool MayRequest);

/// <param name="Reason">overleden, kan-niet-meer.</param>
public sealed record SuccessionRequestView(string Reason, string? Document, string? DocumentTitle, string? RequestedBy, DateTimeOffset RequestedAt);

public sealed record SuccessionConfirmationView(string By, string? ByName, string Role, DateTimeOffset At);

/// <summary>POST /api/dossiers/{id}/regie/successors: a regiehouder names a successor (a RelatedPerson of the network).</summary>
public sealed record SuccessorRequest(string Successor);

/// <summary>POST /api/dossiers/{id}/regie/successors/{consentId}/request: ask the take-over, with the document
/// (overlijdensakte, a doctor's statement) already in the dossier or named by id.</summary>
public sealed record TakeoverRequest(string Reason, string? Document);

/// <summary>GET/PUT /api/dossiers/{id}/zorgtestament: the care testament (section zorgtestament), Markdown per topic.</summary>
public sealed record CareTestament(string? Wonen, string? Zorg, string? WatBelangrijkIs, string? Overig, string? UpdatedBy, DateTimeOffset? UpdatedAt, string? Version);

// ---------------------------------------------------------------- stand-ins, a new supporter, access changes (Api/Access)

/// <summary>POST /api/dossiers/{id}/access/stand-ins: name a colleague (Practitioner/...) as stand-in on a supporter's grant
/// that allows stand-ins, for a period. By a regiehouder, or by the coach of the supporter's team (the colleague must be
/// in the same team).</summary>
public sealed record StandInRequest(string GrantId, string Colleague, DateTimeOffset From, DateTimeOffset Until);

/// <summary>GET /api/stand-ins (the coach's view): the grants of the coach's team members that allow stand-ins, with the
/// stand-ins named on them. DossierName is the client's name as the grant names the dossier.</summary>
public sealed record StandInCandidate(string PatientId, string DossierName, string GrantId, string Supporter, string SupporterName,
    StandInView[] StandIns, ColleagueView[] Colleagues);

public sealed record StandInView(string ConsentId, string Colleague, string ColleagueName, DateTimeOffset? From, DateTimeOffset? Until, bool InForce, string? NamedBy);

/// <summary>A colleague in the same team (a Practitioner sharing an organisation): who can stand in or take over.</summary>
public sealed record ColleagueView(string Practitioner, string Name);

/// <summary>POST /api/dossiers/{id}/access/grants/{grantId}/transfer: the family moves a supporter's grant to another
/// supporter with a handover note; the old grant ends, the new one begins with the same sections and actions.</summary>
public sealed record TransferRequest(string To, string Note);

public sealed record TransferResult(string EndedGrantId, string NewGrantId, string? NoteId);

/// <summary>GET /api/dossiers/{id}/access/changes: what changed in access, newest first, in words, with who did it
/// (so each regiehouder sees what the other changed).</summary>
/// <param name="ByOther">True when another person than the caller made the change.</param>
public sealed record AccessChange(DateTimeOffset At, string Who, string? WhoName, string What, string ConsentId, int Version, bool ByOther);

// ---------------------------------------------------------------- the whole family (Api/Families)

/// <summary>GET /api/families: the families (FHIR Group, code gezin) the caller sees, each with its members. A member
/// whose dossier the caller cannot open is listed without a name (Name null) and PatientId null.</summary>
public sealed record FamilyView(string Id, string Name, FamilyMember[] Members);

/// <param name="Role">client, naaste, broer-zus, jonge-mantelzorger, ouder (RegieCodes words in NetworkRoles where known).</param>
public sealed record FamilyMember(string? PatientId, string? Name, string? Role, bool CanOpen);

/// <summary>POST /api/families: group dossiers into a family (needs write on netwerk in every member's dossier).
/// PUT /api/families/{id}/members adds one.</summary>
public sealed record FamilyRequest(string Name, string[] Members);

/// <summary>POST /api/dossiers/{id}/family-member-dossier: start a dossier of its own for a naaste of this dossier (a
/// RelatedPerson), linked to that record (Patient.link) and grouped with this dossier's family. The caller becomes
/// regiehouder unless the naaste is 16 or older and has an account (then the naaste holds their own regie).</summary>
public sealed record MemberDossierRequest(string RelatedPerson, string? BirthDate);
