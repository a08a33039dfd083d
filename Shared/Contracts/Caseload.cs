namespace Pgo.Shared.Contracts;

/// <summary>One family of the caller's caseload (GET /api/caseload, "Mijn gezinnen"): what a supporter watches, computed by
/// the Api under the caller's access scope. A count or date that is null means the section is not shared with the caller
/// (never a 0 that hides the difference).</summary>
/// <param name="LastContact">The day of the newest logbook note (its date, else when it was written; section logboek): the
/// same note the waakvlam contact rhythm counts from.</param>
/// <param name="OverdueAgreements">Open agreements past their due date, by the Api's rule (a date-only due date includes that whole day).</param>
/// <param name="FamilyId">The family (FHIR Group, code gezin) this dossier belongs to, when the caller sees one (issue 18): the
/// caseload shows families with the people in each.</param>
/// <param name="IntensityStatus">Intensity over time (issue 20): since when, the waakvlam contact rhythm and when contact is
/// due, a trigger suggesting to scale up again; null when the plan is not shared with the caller.</param>
/// <param name="Intensity">The intensity code of the active plan (intake, intensief, afschalen, waakvlam); null when none or not shared.</param>
public sealed record CaseloadFamily(
    string PatientId,
    string Name,
    DateTimeOffset? LastContact,
    int? OpenAgreements,
    int? OverdueAgreements,
    int? GoalsInProgress,
    string? Intensity,
    string? IntensityDisplay,
    string? FamilyId = null,
    string? FamilyName = null,
    IntensityStatus? IntensityStatus = null);
