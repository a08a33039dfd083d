using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;
using Pgo.Identity.Smart;
using Pgo.Identity.TwoFactor;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>
/// The OpenIddict endpoints that need our code: token and userinfo. OpenIddict validates each request
/// (client authentication, PKCE, code and refresh-token checks) before it reaches these handlers.
/// Authorization (with the consent screen) and end-session are Razor pages in this folder;
/// discovery, JWKS, revocation and introspection are handled by OpenIddict alone.
/// </summary>
public static class ConnectApi
{
    /// <summary>The authenticator code in a (Development-only) password grant.</summary>
    public const string OtpParameter = "otp";

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ServerSetup.TokenPath, Token).DisableAntiforgery();
        app.MapMethods(ServerSetup.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfo).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Token(HttpContext http, UserManager<PgoUser> users,
        SignInManager<PgoUser> signIn, TokenClaims claims, IOpenIddictApplicationManager applications, SignInLogbook log,
        RefusedCodeLimit refusedCodes)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request is missing.");

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var redeemed = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = redeemed.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
                return Refuse(Errors.InvalidGrant, "The account no longer exists or may not sign in.");
            if (await TwoFactorPolicy.MustSetUpAsync(users, user))
                return Refuse(Errors.InvalidGrant, "This account must set up two-factor sign-in first.");
            var identity = await claims.ForPersonAsync(user, redeemed.Principal!.GetScopes(), redeemed.Principal);
            return SignIn(identity);
        }

        if (request.IsPasswordGrantType()) // only reachable in Development: elsewhere OpenIddict refuses the grant
        {
            var user = request.Username is { Length: > 0 } name ? await users.FindByEmailAsync(name) : null;
            if (user is null)
            {
                SameAnswer.HashAnyway(users, request.Password);
                return Refuse(Errors.InvalidGrant, SameAnswer.WrongCredentialsDescription);
            }
            var result = await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
            if (!result.Succeeded)
            {
                if (result.IsLockedOut) SameAnswer.HashAnyway(users, request.Password);
                await log.RecordAsync(user, result.IsLockedOut ? SignInEventKind.LockedOut : SignInEventKind.SignInFailed, "pgo-dev");
                // Unknown, wrong password and locked answer alike: the endpoint does not tell who has an account.
                return Refuse(Errors.InvalidGrant, SameAnswer.WrongCredentialsDescription);
            }
            // No shortcut around the second step: an account with (or needing) two-factor sign-in sends the
            // authenticator code as the extra parameter "otp".
            if (await TwoFactorPolicy.MustSetUpAsync(users, user))
                return Refuse(Errors.InvalidGrant, "This account must set up two-factor sign-in first.");
            if (await users.GetTwoFactorEnabledAsync(user))
            {
                // A refused code does not count towards the lockout here (a script that sends a spent code again
                // would lock the account for 15 minutes); RefusedCodeLimit bounds the guessing instead.
                if (refusedCodes.IsExhausted(user.Id))
                    return Refuse(Errors.InvalidGrant, $"Too many refused authenticator codes: wait {(int)RefusedCodeLimit.Window.TotalSeconds} seconds.");
                var otp = TwoFactorPolicy.Clean((string?)request.GetParameter(OtpParameter));
                if (otp.Length == 0 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, otp))
                {
                    if (otp.Length > 0) refusedCodes.Record(user.Id);
                    await log.RecordAsync(user, SignInEventKind.TwoFactorFailed, "pgo-dev");
                    return Refuse(Errors.InvalidGrant, "This account signs in with two factors: send the authenticator code as 'otp'.");
                }
            }
            await log.RecordAsync(user, SignInEventKind.SignedIn, "pgo-dev");
            return SignIn(await claims.ForPersonAsync(user, request.GetScopes()));
        }

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                ?? throw new InvalidOperationException("OpenIddict let an unknown client through.");
            return SignIn(TokenClaims.ForSystem(request.ClientId!, await applications.GetDisplayNameAsync(application), request.GetScopes()));
        }

        return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>OpenID Connect userinfo: what the access token's scopes allow the app to know.</summary>
    private static async Task<IResult> UserInfo(HttpContext http, UserManager<PgoUser> users)
    {
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
        if (principal is null || user is null)
            return Results.Challenge(Properties(Errors.InvalidToken, "The account no longer exists."),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

        var info = new Dictionary<string, object?> { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Profile)) info[Claims.Name] = user.DisplayName;
        if (principal.HasScope(Scopes.Email))
        {
            info[Claims.Email] = user.Email;
            info[Claims.EmailVerified] = user.EmailConfirmed;
        }
        if (principal.HasScope(Scopes.Roles)) info[Claims.Role] = await users.GetRolesAsync(user);
        if (principal.HasScope(ScopePolicy.FhirUser)) info[ApiContract.FhirUserClaim] = user.FhirUser;
        if (principal.HasScope(Scopes.Profile)) info[Claims.Locale] = user.Language;
        return Results.Ok(info);
    }

    /// <summary>Signs in for the token response; the SMART launch context goes into the response as "patient".</summary>
    private static IResult SignIn(ClaimsIdentity identity)
    {
        var properties = new AuthenticationProperties();
        if (identity.GetClaim(ApiContract.PatientClaim) is { Length: > 0 } patient)
            properties.SetParameter(ApiContract.PatientClaim, patient);
        return Results.SignIn(new ClaimsPrincipal(identity), properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(Properties(error, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    internal static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
