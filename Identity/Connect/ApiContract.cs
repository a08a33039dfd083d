namespace Pgo.Identity.Connect;

/// <summary>
/// What Identity promises the Api about access tokens; the Api validates them on its own with the JWKS
/// (<c>/.well-known/jwks</c>) and relies on nothing else from Identity.
/// Access tokens are RS256-signed JWTs (not encrypted), valid for <see cref="AccessTokenLifetime"/>, with
/// <c>iss</c>, <c>aud</c> = <see cref="Audience"/>, <c>sub</c> (account id, or client id for a system),
/// <c>client_id</c>, <c>scope</c>, <c>name</c>, <c>email</c>, <c>role</c> (zero or more) and, for a person who is a FHIR Person,
/// <c>fhirUser</c> ("Person/..."), <c>email_verified</c>, <c>locale</c> ("nl"/"en") and, after a SMART launch with
/// <c>launch/patient</c>, <c>patient</c>. patient/ and user/ scopes are only ever issued together with fhirUser.
/// </summary>
public static class ApiContract
{
    public const string Audience = "pgo-api";
    public const string FhirUserClaim = "fhirUser";

    /// <summary>The SMART launch context: the FHIR Patient id picked at launch (also a token-response parameter).</summary>
    public const string PatientClaim = "patient";

    /// <summary>Identity's own API (invitations) as an audience, added when the token has the invitations scope.</summary>
    public const string IdentityAudience = "pgo-identity";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(10);
}
