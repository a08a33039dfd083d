namespace Pgo.Shared.Contracts;

// The access API (Api/Access/AccessApi.cs, camelCase JSON) as the Portal reads it; tests/Pgo.Api.Tests/Contracts checks the
// Api's answers against these records.

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
    /// <summary>See who holds regie, the age steps and the checklist "18 jaar" (regiehouders, the client, supporters).</summary>
    public const string ViewRegie = "view-regie";
    /// <summary>Record the choice for after 18, a legal representation, a successor, the care testament (regiehouders).</summary>
    public const string DecideRegie = "decide-regie";
    /// <summary>Set the intensity of support with the family (issue 20): the supporter with write on the plan.</summary>
    public const string SetIntensity = "set-intensity";
}

public sealed record GrantView(string Id, string Kind, string Status, string[] Actors, string[] Roles, string[] Sections, string[] Actions,
    string[] Items, DateTimeOffset? From, DateTimeOffset? Until, bool AllowStandIn, string? Purpose, string? StandInFor, bool InForce);

public sealed record AccessOverview(string PatientId, GrantView[] Grants, Dictionary<string, Dictionary<string, string>> People);

public sealed record GrantRequest(string Actor, string Role, string[]? Sections, bool Read = true, bool Write = false, bool Manage = false,
    DateTimeOffset? From = null, DateTimeOffset? Until = null, bool AllowStandIn = false);

public sealed record GrantChange(string[]? Sections, bool? Write, bool? Manage, DateTimeOffset? Until, bool? AllowStandIn = null);

public sealed record SharePackageRequest(string Organization, string Purpose, DateTimeOffset Until, string[]? Items, string[]? Sections);

public sealed record HiddenItemRequest(string Item, string HiddenFrom);

public sealed record AuditRow(long N, DateTimeOffset When, string Who, string? Roles, string? Organization, string Action, string? Resource, int? Version,
    string? Section, string Outcome, int Status, string? Grants, string? App, string? Detail, string? WhoName = null);

/// <summary>A share package as the agency sees it (GET /api/access/share-packages): State is open, verlopen, ingetrokken or nog-niet;
/// Items and Sections only while it is open.</summary>
public sealed record SharedPackage(string Id, string PatientId, string Organization, string? Purpose, DateTimeOffset? From, DateTimeOffset? Until,
    string State, string[] Items, string[] Sections);

/// <summary>POST /api/dossiers (Api/Dossier/DossierApi.cs NewDossier): the client's name and birth date (yyyy-MM-dd), the
/// person's relationship to the client (a netwerkrol code, or "zelf"), and "mentor"/"curator" when they represent an adult.</summary>
public sealed record NewDossierRequest(string Given, string Family, string? BirthDate, string Relationship, string? LegalBasis = null);

public sealed record CreatedDossier(string PatientId, string Regiehouder, string ConsentId);

/// <summary>What the account may do before any dossier (GET /api/access/account): "start-dossier", "import-dossier".</summary>
public sealed record AccountOperations(IReadOnlyList<string> Operations);
