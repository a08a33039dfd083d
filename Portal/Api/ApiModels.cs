namespace Pgo.Portal.Api;

// The shapes the Portal reads from Pgo.Api and Pgo.Identity. The /api records mirror Api/Access/AccessApi.cs and
// Api/TeamSpace (camelCase JSON); the dossier records are the Portal's own view of FHIR resources.

/// <summary>A dossier the signed-in person can open: the client (Patient) it is about, and what the person may do there,
/// exactly as the Api returned it ("my dossiers", decided by Fhir/Access/DossierOperations.cs): the Portal adds no rules.</summary>
public sealed record Dossier([property: System.Text.Json.Serialization.JsonPropertyName("patientId")] string Id, string Name, string[] ReadSections, string[] WriteSections, int Items, bool Manage,
    string[]? Operations = null)
{
    public bool CanRead(string section) => ReadSections.Contains(section);

    public bool CanWrite(string section) => WriteSections.Contains(section);

    /// <summary>Whether the Api says the person may perform this operation here (names in <see cref="DossierOps"/>).</summary>
    public bool May(string operation) => Operations?.Contains(operation) == true;
}

/// <summary>The operation names "my dossiers" returns (Api/README.md, "Dossier operations").</summary>
public static class DossierOps
{
    public const string ReadOverview = "read-overview";
    public const string ManageAccess = "manage-access";
    public const string ViewAuditTrail = "view-audit-trail";
    public const string Export = "export";
    public const string ScheduleDeletion = "schedule-deletion";
    public const string RegisterTime = "register-time";
    public const string UploadDocument = "upload-document";
    public const string WriteNotes = "write-notes";
}

/// <summary>Something in a dossier that changed, for the home page.</summary>
public sealed record Change(string Section, string Reference, string Title, DateTimeOffset When);

/// <summary>An agreement (FHIR Task) that is due or overdue.</summary>
public sealed record DueItem(string Reference, string Title, DateTimeOffset? Due, bool Overdue);

/// <summary>One family in a supporter's caseload.</summary>
/// <summary>One family of a supporter's caseload; <paramref name="Intensity"/> is the intensity mode of the active plan (null: not shared or none).</summary>
public sealed record CaseloadRow(Dossier Dossier, DateTimeOffset? LastContact, int OverdueAgreements, int GoalsInProgress, int OpenAgreements,
    string? Intensity = null);

public sealed record GrantView(string Id, string Kind, string Status, string[] Actors, string[] Roles, string[] Sections, string[] Actions,
    string[] Items, DateTimeOffset? From, DateTimeOffset? Until, bool AllowStandIn, string? Purpose, string? StandInFor, bool InForce);

public sealed record AccessOverview(string PatientId, GrantView[] Grants, Dictionary<string, Dictionary<string, string>> People);

public sealed record GrantRequest(string Actor, string Role, string[]? Sections, bool Read = true, bool Write = false, bool Manage = false,
    DateTimeOffset? From = null, DateTimeOffset? Until = null, bool AllowStandIn = false);

public sealed record GrantChange(string[]? Sections, bool? Write, bool? Manage, DateTimeOffset? Until);

public sealed record SharePackageRequest(string Organization, string Purpose, DateTimeOffset Until, string[]? Items, string[]? Sections);

public sealed record HiddenItemRequest(string Item, string HiddenFrom);

public sealed record AuditRow(long N, DateTimeOffset When, string Who, string? Roles, string? Organization, string Action, string? Resource, int? Version,
    string? Section, string Outcome, int Status, string? Grants, string? App, string? Detail, string? WhoName = null);

public sealed record AuditFilter(string? Person = null, string? Section = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Identity's invitation (Identity/README.md, "Invitations").</summary>
public sealed record Invitation(string Id, string Email, string Role, string Patient, string? PatientName, string[] Sections, string Access,
    DateTimeOffset? Until, string? Message, string Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record InvitationRequest(string Email, string Role, string Patient, string PatientName, string[] Sections, string Access,
    DateOnly? Until, string? Message);

public sealed record TeamSummary(long Id, string Slug, string Name, string MyRole);

public sealed record ChannelView(long Id, string Slug, string Name, string Description);

public sealed record TeamView(long Id, string Slug, string Name, string Description, string MyRole, string MyHandle, IReadOnlyList<ChannelView> Channels);

public sealed record PersonRef(string Key, string Name);

public sealed record PostView(long Id, long TeamId, long ChannelId, long? ThreadId, PersonRef Author, string Body, string Html,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, bool Deleted, int ReplyCount, DateTimeOffset LastActivityAt);

public sealed record ThreadView(PostView Root, IReadOnlyList<PostView> Replies);

public sealed record SearchResultView(string Kind, long Id, long? ChannelId, string Title, string AuthorKey, DateTimeOffset UpdatedAt, double Rank, string Snippet, string Url);

/// <summary>Knelpunten in het stelsel that supporters signalled on posts, bundled per instantie and theme (GET /api/team/teams/{id}/bottlenecks).</summary>
public sealed record BottleneckBundle(string Instantie, string Theme, int Count, DateTimeOffset LatestAt, IReadOnlyList<BottleneckPost> Posts);

public sealed record BottleneckPost(long PostId, long ChannelId, long? ThreadId, string Excerpt, string MarkedBy, DateTimeOffset MarkedAt, string Url);

public sealed record ArticleSummary(long Id, string Slug, string Title, string Category, IReadOnlyList<string> Tags, int Version, DateTimeOffset UpdatedAt);

public sealed record ArticleView(long Id, string Slug, string Title, string Category, IReadOnlyList<string> Tags, string Html, int Version, PersonRef UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>What the team space's guard found in a text (422 "Mogelijk herleidbare gegevens").</summary>
public sealed record GuardFinding(string Kind, string Field, string Text, string Message);

/// <summary>Posting either saved, or the guard asks the author to look again.</summary>
public sealed record PostResult(PostView? Post, IReadOnlyList<GuardFinding> Findings);

/// <summary>A logbook note as the co-writing API returns it.</summary>
public sealed record NoteView(string Id, int Version, string? Title, string Text, string? WrittenBy = null, string? WriterName = null, DateTimeOffset? WrittenAt = null);

/// <summary>One version of a note (GET .../notes/{id}/versions): who wrote it, when, what it said. Change: aangemaakt, gewijzigd, verwijderd.</summary>
public sealed record NoteVersion(int Version, DateTimeOffset? WrittenAt, string? WrittenBy, string? WriterName, string Change, string? Text);

/// <summary>The Api's 409 on a stale note save: the note now, and the merge of one's own edit into it when the edits do not overlap.</summary>
public sealed record NoteConflict(int CurrentVersion, string? CurrentText, string? MergedText);

/// <summary>A share package as the agency sees it (GET /api/access/share-packages): State is open, verlopen, ingetrokken or nog-niet;
/// Items and Sections only while it is open.</summary>
public sealed record SharedPackage(string Id, string PatientId, string Organization, string? Purpose, DateTimeOffset? From, DateTimeOffset? Until,
    string State, string[] Items, string[] Sections);

/// <summary>A document's file as the Api hands it out after its access decision.</summary>
public sealed record DocumentFile(string FileName, string ContentType, byte[] Bytes);
/// <summary>POST /api/dossiers (Api/Dossier/DossierApi.cs NewDossier): the client's name and birth date (yyyy-MM-dd), the
/// person's relationship to the client (a netwerkrol code, or "zelf"), and "mentor"/"curator" when they represent an adult.</summary>
public sealed record NewDossierRequest(string Given, string Family, string? BirthDate, string Relationship, string? LegalBasis = null);

public sealed record CreatedDossier(string PatientId, string Regiehouder, string ConsentId);
/// <summary>One time registration of a supporter (Api/Time/TimeApi.cs).</summary>
public sealed record TimeEntry(string Id, string PatientId, string Activity, string ActivityName, string Date, int Minutes, string? Note, string? Author, string? AuthorName);

public sealed record FamilyMinutes(string PatientId, int Minutes);

public sealed record ActivityMinutes(string Activity, string Name, int Minutes);

/// <summary>The time registrations of a period with the totals per family and per activity.</summary>
public sealed record TimeSheet(string From, string To, int TotalMinutes, FamilyMinutes[] Families, ActivityMinutes[] Activities, TimeEntry[] Entries);

public sealed record TimeRequest(string Activity, string Date, int Minutes, string? Note);
