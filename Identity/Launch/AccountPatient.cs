namespace Pgo.Identity.Launch;

/// <summary>
/// A patient (dossier) the account may act for, offered at a SMART launch with <c>launch/patient</c>.
/// For now Identity keeps this list itself: an accepted invitation adds its patient, demo accounts get theirs.
/// It is a convenience for picking, not an access decision: the Api's Consent decides what the token opens,
/// and a later version takes this list from the Api instead (see README, "SMART launch").
/// </summary>
public sealed class AccountPatient
{
    public string UserId { get; set; } = "";

    /// <summary>The FHIR Patient id, without "Patient/".</summary>
    public string PatientId { get; set; } = "";

    /// <summary>What the person sees in the list, e.g. "Danny Strikwerda".</summary>
    public string Label { get; set; } = "";

    /// <summary>Where the link came from: "invitation:{id}", "demo".</summary>
    public string Source { get; set; } = "";

    /// <summary>UTC.</summary>
    public DateTime AddedAt { get; set; }
}
