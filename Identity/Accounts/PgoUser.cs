using Microsoft.AspNetCore.Identity;

namespace Pgo.Identity.Accounts;

/// <summary>An account: one person who signs in. The user name is the e-mail address.</summary>
public sealed class PgoUser : IdentityUser
{
    /// <summary>The name shown to others, e.g. "Tessa Strikwerda".</summary>
    [PersonalData]
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// The FHIR <c>Person</c> this account is, relative ("Person/strikwerda-tessa"); it links the
    /// <c>RelatedPerson</c>, <c>Practitioner</c> or <c>Patient</c> records the person acts as.
    /// Null until the person exists on the FHIR side; such an account gets no patient/user scopes.
    /// </summary>
    [PersonalData]
    public string? FhirUser { get; set; }
}
