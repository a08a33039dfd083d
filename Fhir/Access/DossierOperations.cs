using Pgo.Fhir.Messages;
using Pgo.Shared.Contracts;

namespace Pgo.Fhir.Access;

/// <summary>
/// The dossier tasks that are not a plain FHIR write. Each is decided in <see cref="DossierOperations"/> only; handlers
/// ask, "my dossiers" (GET /api/access/dossiers) returns the allowed ones by their <see cref="DossierOperations.Name"/>,
/// and the Portal shows what the Api returned.
/// </summary>
public enum DossierOperation
{
    /// <summary>Open the dossier at all: its overview, timeline, document list, live updates.</summary>
    ReadOverview,
    /// <summary>See and change who has access: grants, share packages, hidden items, invitations.</summary>
    ManageAccess,
    /// <summary>"Wie heeft wat bekeken": the dossier's audit log.</summary>
    ViewAuditTrail,
    /// <summary>Download the whole dossier (FHIR bundle and files).</summary>
    Export,
    /// <summary>Schedule, cancel or look at the deletion of the whole dossier.</summary>
    ScheduleDeletion,
    /// <summary>Register time spent with the family (the supporter's own work).</summary>
    RegisterTime,
    /// <summary>Upload a document (into <see cref="PgoCodes.Section.Documenten"/> unless another section is named).</summary>
    UploadDocument,
    /// <summary>Write logbook notes (together, live).</summary>
    WriteNotes,
    /// <summary>See who holds regie and on what basis, the age steps and the checklist "18 jaar" (issue 18).</summary>
    ViewRegie,
    /// <summary>Record the choice for after 18, a legal representation, a successor or the care testament (issue 18).</summary>
    DecideRegie,
    /// <summary>Set the intensity of support (issue 20): the family's supporter, together with the family.</summary>
    SetIntensity,
}

/// <summary>
/// The one place where the dossier tasks of <see cref="DossierOperation"/> are decided, from the caller's compiled
/// <see cref="AccessScope"/> (the Consents in force, as <see cref="ConsentAccessPolicy"/> compiled them). The rules read
/// the grant rules the policy produced, never role names of their own: who is regiehouder is what the policy says.
/// </summary>
public static class DossierOperations
{
    public static readonly IReadOnlyList<DossierOperation> All = Enum.GetValues<DossierOperation>();

    /// <summary>The name in the Api's answers ("manage-access", ...).</summary>
    public static string Name(DossierOperation operation) => operation switch
    {
        DossierOperation.ReadOverview => DossierOps.ReadOverview,
        DossierOperation.ManageAccess => DossierOps.ManageAccess,
        DossierOperation.ViewAuditTrail => DossierOps.ViewAuditTrail,
        DossierOperation.Export => DossierOps.Export,
        DossierOperation.ScheduleDeletion => DossierOps.ScheduleDeletion,
        DossierOperation.RegisterTime => DossierOps.RegisterTime,
        DossierOperation.UploadDocument => DossierOps.UploadDocument,
        DossierOperation.WriteNotes => DossierOps.WriteNotes,
        DossierOperation.ViewRegie => DossierOps.ViewRegie,
        DossierOperation.DecideRegie => DossierOps.DecideRegie,
        DossierOperation.SetIntensity => DossierOps.SetIntensity,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Whether the caller may perform <paramref name="operation"/> in the dossier of <paramref name="patientId"/>.</summary>
    /// <param name="section">For <see cref="DossierOperation.UploadDocument"/>: the section the document goes to (default documenten).</param>
    public static bool Allows(AccessScope scope, string patientId, DossierOperation operation, string? section = null)
    {
        if (!scope.HasAnyAccessTo(patientId)) return false;
        // The token's SMART scopes narrow these as they narrow FHIR access: an app allowed to read Goals manages nothing.
        if (!TokenAllows(scope.Types, operation)) return false;
        return operation switch
        {
            DossierOperation.ReadOverview => true,
            // Whoever holds manage (a regiehouder, the adult client, a grant with manage) sees and manages access and the log.
            DossierOperation.ManageAccess or DossierOperation.ViewAuditTrail => scope.CanManage(patientId),
            // The whole dossier at once (out of the platform, or gone for good) is the regiehouder's alone, not a manage grant's.
            DossierOperation.Export or DossierOperation.ScheduleDeletion => HoldsRegie(scope, patientId),
            // Time is the supporter's own work: a supporter (or their stand-in) with write on tijd, acting as a Practitioner.
            DossierOperation.RegisterTime => TimeAuthor(scope) is not null
                && scope.Patients.TryGetValue(patientId, out var access)
                && access.Rules.Any(r => r.Write && r.Role is PgoCodes.GrantRole.Ondersteuner or PgoCodes.GrantRole.Invaller && r.Sections.Contains(PgoCodes.Section.Tijd)),
            DossierOperation.UploadDocument => scope.CanWrite('c', "DocumentReference", "", section ?? PgoCodes.Section.Documenten, [patientId]),
            DossierOperation.WriteNotes => scope.CanWrite('c', "DocumentReference", "", PgoCodes.Section.Logboek, [patientId])
                && scope.CanWrite('u', "DocumentReference", "", PgoCodes.Section.Logboek, [patientId]),
            // Regie is shown to who holds it, to the client, and to the supporters who walk the way with the family;
            // never to agencies or other professionals (a legal representation is not their business).
            DossierOperation.ViewRegie => scope.IsRegiehouder(patientId) || scope.Identities.Contains($"Patient/{patientId}") || IsSupporter(scope, patientId),
            DossierOperation.DecideRegie => scope.IsRegiehouder(patientId),
            // The intensity is the supporter's call made with the family: a supporter (or stand-in) acting as a Practitioner
            // whose grant writes the plan; the family reads the history. The write itself is still the plan's write rule.
            DossierOperation.SetIntensity => TimeAuthor(scope) is not null
                && scope.Patients.TryGetValue(patientId, out var planAccess)
                && planAccess.Rules.Any(r => r.Write && r.Role is PgoCodes.GrantRole.Ondersteuner or PgoCodes.GrantRole.Invaller && r.Sections.Contains(PgoCodes.Section.Plan)),
            _ => false,
        };
    }

    /// <summary>Whether the caller supports this family: a grant with role ondersteuner, or standing in for one.</summary>
    public static bool IsSupporter(AccessScope scope, string patientId) =>
        scope.Patients.TryGetValue(patientId, out var access)
        && access.Rules.Any(r => r.Role is PgoCodes.GrantRole.Ondersteuner or PgoCodes.GrantRole.Invaller);

    /// <summary>Every operation the caller may perform in this dossier, by name, in the order of <see cref="DossierOperation"/>.</summary>
    public static string[] Allowed(AccessScope scope, string patientId) =>
        All.Where(op => Allows(scope, patientId, op)).Select(Name).ToArray();

    /// <summary>The record a time registration names as its author: the caller's Practitioner (null: not a supporter).</summary>
    public static string? TimeAuthor(AccessScope scope) =>
        scope.Identities.FirstOrDefault(i => i.StartsWith("Practitioner/", StringComparison.Ordinal));

    /// <summary>The refusal (in the request's language, Fhir/Messages) for a caller who sees the dossier but may not do this (403).</summary>
    public static string Refusal(DossierOperation operation) => operation switch
    {
        DossierOperation.ManageAccess or DossierOperation.ViewAuditTrail => FhirText.OperationManageAccess,
        DossierOperation.Export => FhirText.OperationExport,
        DossierOperation.ScheduleDeletion => FhirText.OperationScheduleDeletion,
        DossierOperation.RegisterTime => FhirText.OperationRegisterTime,
        DossierOperation.UploadDocument => FhirText.OperationUploadDocument,
        DossierOperation.WriteNotes => FhirText.OperationWriteNotes,
        DossierOperation.ViewRegie => FhirText.OperationViewRegie,
        DossierOperation.DecideRegie => FhirText.OperationDecideRegie,
        DossierOperation.SetIntensity => FhirText.OperationSetIntensity,
        _ => FhirText.OperationOther,
    };

    /// <summary>
    /// Starting a new dossier (the caller becomes its regiehouder; importing one is the same decision): a signed-in
    /// person whose token allows creating a Patient, and who is family (a parent, a naaste, the client) rather than
    /// working for families. A supporter, professional, agency or administrator account (Identity's account role, which
    /// grants no data) is invited by a family instead of starting one. Null when allowed; otherwise the refusal (403).
    /// </summary>
    public static string? StartDossierRefusal(CallerContext caller)
    {
        if (caller.IsSystem || caller.FhirUser is not { } fhirUser || !fhirUser.StartsWith("Person/", StringComparison.Ordinal))
            return FhirText.StartDossierSignedIn;
        if (!TypePermissions.FromScopes(caller.Scopes, "patient", "user").Allows('c', "Patient"))
            return FhirText.StartDossierScope;
        var roles = caller.Roles ?? [];
        if (!roles.Any(FamilyRoles.Contains) && roles.Any(WorkingRoles.Contains))
            return FhirText.StartDossierFamilyOnly;
        return null;
    }

    /// <summary>The account-level operations (no dossier yet): what "Start een dossier" and the import may offer.</summary>
    public static IReadOnlyList<string> AllowedForAccount(CallerContext caller) =>
        StartDossierRefusal(caller) is null ? [StartDossier, ImportDossier] : [];

    public const string StartDossier = "start-dossier";
    public const string ImportDossier = "import-dossier";

    // Identity's account roles (Identity/Accounts/Roles.cs): they choose screens, never data; here only whether one starts dossiers.
    private static readonly HashSet<string> FamilyRoles = new(Pgo.Shared.Codes.AccountRoles.FamilySide, StringComparer.Ordinal);
    private static readonly HashSet<string> WorkingRoles = new(Pgo.Shared.Codes.AccountRoles.Working, StringComparer.Ordinal);

    private static bool TokenAllows(TypePermissions types, DossierOperation operation) => operation switch
    {
        DossierOperation.ManageAccess => types.Allows('r', "Consent"),
        DossierOperation.ViewAuditTrail => types.Allows('r', "AuditEvent"),
        DossierOperation.Export => types.ReadTypes is null,
        DossierOperation.ScheduleDeletion => types.Allows('u', "Patient"),
        DossierOperation.RegisterTime => types.Allows('c', "Basic"),
        DossierOperation.SetIntensity => types.Allows('c', "Basic") && types.Allows('u', "CarePlan"),
        // Who holds regie is read from the grants (Consents): an app without Consent in its scopes is not shown it.
        DossierOperation.ViewRegie => types.Allows('r', "Consent"),
        DossierOperation.DecideRegie => types.Allows('c', "Consent"),
        _ => true,
    };

    /// <summary>A regie grant in force (the policy drops a parent's regie at 18 unless mentor/curator), or the client with
    /// regie over their own dossier, or the platform.</summary>
    private static bool HoldsRegie(AccessScope scope, string patientId) =>
        scope.IsUnrestricted
        || (scope.Patients.TryGetValue(patientId, out var access)
            && access.Rules.Any(r => r.Role == PgoCodes.GrantRole.Regiehouder || (r.Role == "client" && r.Manage)));
}
