using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Pgo.Identity.Accounts;
using Pgo.Identity.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>
/// The one place that decides what goes into tokens: which claims, for which scopes, in which token
/// (access token for the Api, identity token for the client app).
/// </summary>
public sealed class TokenClaims(UserManager<PgoUser> users)
{
    /// <summary>
    /// The identity for tokens issued to a person. <paramref name="basedOn"/> is the principal of the code or
    /// refresh token being redeemed: its OpenIddict bookkeeping (authorization id, presenters) is kept, but the
    /// person's claims and scopes are taken fresh from the account, so a changed role or fhirUser shows at once.
    /// </summary>
    public async Task<ClaimsIdentity> ForPersonAsync(PgoUser user, IEnumerable<string> requestedScopes, ClaimsPrincipal? basedOn = null)
    {
        var identity = basedOn is null
            ? new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role)
            : new ClaimsIdentity(basedOn.Claims, TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailConfirmed)
            .SetClaim(Claims.Locale, user.Language)
            .SetClaim(ApiContract.FhirUserClaim, user.FhirUser)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);

        var scopes = ScopePolicy.GrantedTo(user, requestedScopes);
        identity.SetScopes(scopes);
        // The patient picked at launch stays only with launch/patient (a refresh may narrow it away).
        if (!scopes.Contains(ScopePolicy.LaunchPatient)) identity.RemoveClaims(ApiContract.PatientClaim);
        identity.SetResources(Audiences(scopes));
        identity.SetDestinations(claim => DestinationsOf(claim, identity));
        return identity;
    }

    /// <summary>The identity for a system client (client credentials): the client is the subject.</summary>
    public static ClaimsIdentity ForSystem(string clientId, string? displayName, ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, displayName ?? clientId);
        identity.SetScopes(scopes);
        identity.SetResources(Audiences(scopes));
        identity.SetDestinations(claim => DestinationsOf(claim, identity));
        return identity;
    }

    /// <summary>The Api always; Identity itself when the token may use one of its own APIs (invitations, account contact).</summary>
    private static string[] Audiences(IEnumerable<string> scopes) =>
        scopes.Any(ScopePolicy.ForIdentityApi.Contains) ? [ApiContract.Audience, ApiContract.IdentityAudience] : [ApiContract.Audience];

    /// <summary>
    /// The access token carries everything the Api needs to decide (who, which Person, which group, which
    /// scopes); the identity token carries only what the person allowed the app to know (OpenID scopes).
    /// </summary>
    private static IEnumerable<string> DestinationsOf(Claim claim, ClaimsIdentity identity)
    {
        string[] both = [Destinations.AccessToken, Destinations.IdentityToken];
        string[] accessOnly = [Destinations.AccessToken];
        return claim.Type switch
        {
            Claims.Subject => both,
            Claims.Name => identity.HasScope(Scopes.Profile) ? both : accessOnly,
            Claims.Email or Claims.EmailVerified => identity.HasScope(Scopes.Email) ? both : accessOnly,
            Claims.Locale => identity.HasScope(Scopes.Profile) ? both : accessOnly,
            ApiContract.PatientClaim => accessOnly,
            Claims.Role => identity.HasScope(Scopes.Roles) ? both : accessOnly,
            ApiContract.FhirUserClaim => identity.HasScope(ScopePolicy.FhirUser) ? both : accessOnly,
            _ => [],
        };
    }
}
