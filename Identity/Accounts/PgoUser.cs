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
    /// Accounts created here get <see cref="NewFhirUser"/>; null (an administrator) means no patient/user scopes.
    /// </summary>
    [PersonalData]
    public string? FhirUser { get; set; }

    /// <summary>The language of the pages and mails for this person: "nl" (default) or "en".</summary>
    [PersonalData]
    public string Language { get; set; } = Languages.Dutch;

    /// <summary>The Person id a new account gets: the Api creates <c>Person/{id}</c> when it first sees it.</summary>
    public string NewFhirUser() => $"Person/pgo-{Id}";
}
