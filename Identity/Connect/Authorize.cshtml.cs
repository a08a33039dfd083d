using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Pgo.Identity.Accounts;
using Pgo.Identity.Launch;
using Pgo.Identity.Smart;
using Pgo.Identity.TwoFactor;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>
/// The authorization endpoint. OpenIddict has already checked the client, redirect_uri, PKCE and scopes.
/// Here: make sure the person is signed in, ask consent when the app needs it (third-party apps), and
/// issue the code. A given consent is stored as a permanent OpenIddict authorization, so the person is
/// not asked again for the same app and scopes, and can later revoke it.
/// </summary>
public sealed class AuthorizeModel(
    UserManager<PgoUser> users,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    TokenClaims claims,
    LaunchPatients launchPatients,
    IStringLocalizer<Texts> text) : PageModel
{
    public const string Approve = "approve";
    public const string Refuse = "refuse";

    /// <summary>The form field of the patient picker (only read from a posted form, never from the app's URL).</summary>
    public const string PatientField = "pgo_patient";

    /// <summary>Set when the person must pick a patient for a SMART launch before going on.</summary>
    public IReadOnlyList<AccountPatient> PatientChoices { get; private set; } = [];

    public string ApplicationName { get; private set; } = "";
    public IReadOnlyList<string> Requested { get; private set; } = [];

    /// <summary>The authorization request's parameters, carried through the consent form.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Parameters => RequestParameters.Of(Request);

    public Task<IActionResult> OnGetAsync() => HandleAsync(decision: null);

    public Task<IActionResult> OnPostAsync(string? decision) => HandleAsync(decision);

    private async Task<IActionResult> HandleAsync(string? decision)
    {
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request is missing.");

        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal) : null;
        if (user is null || (request.HasPromptValue(PromptValues.Login) && decision is null))
        {
            if (request.HasPromptValue(PromptValues.None))
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            // Back here after signing in, without prompt=login so the person is not sent round again.
            var parameters = RequestParameters.Of(Request)
                .Where(p => p.Key != OpenIddictConstants.Parameters.Prompt || !request.HasPromptValue(PromptValues.Login));
            return Challenge(new AuthenticationProperties { RedirectUri = Request.PathBase + Request.Path + QueryString.Create(parameters) },
                IdentityConstants.ApplicationScheme);
        }

        // Supporters, professionals, agencies and administrators get no token before two-factor sign-in is set up.
        if (await TwoFactorPolicy.MustSetUpAsync(users, user))
        {
            if (request.HasPromptValue(PromptValues.None))
                return Forbid(Errors.InteractionRequired, "The account must set up two-factor sign-in first.");
            var back = Request.PathBase + Request.Path + QueryString.Create(RequestParameters.Of(Request));
            return LocalRedirect(AccountPaths.TwoFactorSetup + QueryString.Create("returnUrl", back));
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!)
            ?? throw new InvalidOperationException("OpenIddict let an unknown client through.");
        var applicationId = await applications.GetIdAsync(application)
            ?? throw new InvalidOperationException("The client has no id.");
        var scopes = ScopePolicy.GrantedTo(user, request.GetScopes());
        var remembered = await authorizations.FindAsync(subject: user.Id, client: applicationId, status: Statuses.Valid,
            type: AuthorizationTypes.Permanent, scopes: scopes).ToListAsync();
        var consentType = await applications.GetConsentTypeAsync(application);

        if (decision == Refuse)
            return Forbid(Errors.AccessDenied, "The user refused.");

        var mustAsk = consentType == ConsentTypes.Explicit
            && (remembered.Count == 0 || request.HasPromptValue(PromptValues.Consent))
            && decision != Approve;
        if (consentType is ConsentTypes.External && remembered.Count == 0)
            return Forbid(Errors.ConsentRequired, "This app has not been allowed by an administrator.");

        // SMART launch/patient: the person picks the dossier the app works in, among those the account may act for.
        AccountPatient? patient = null;
        if (scopes.Contains(ScopePolicy.LaunchPatient))
        {
            var choices = await launchPatients.ForAsync(user);
            var picked = Request.HasFormContentType ? (string?)Request.Form[PatientField] : null;
            patient = choices.Count == 1 ? choices[0] : choices.FirstOrDefault(p => p.PatientId == picked);
            if (patient is null && choices.Count > 1)
            {
                if (request.HasPromptValue(PromptValues.None))
                    return Forbid(Errors.InteractionRequired, "The user must pick a patient.");
                ApplicationName = await applications.GetLocalizedDisplayNameAsync(application) ?? request.ClientId!;
                PatientChoices = choices;
                return Page();
            }
        }

        if (mustAsk)
        {
            if (request.HasPromptValue(PromptValues.None))
                return Forbid(Errors.ConsentRequired, "The user has not given consent yet.");
            ApplicationName = await applications.GetLocalizedDisplayNameAsync(application) ?? request.ClientId!;
            Requested = ScopeDescriptions.Describe(scopes, text);
            return Page();
        }

        var identity = await claims.ForPersonAsync(user, scopes);
        if (patient is not null) identity.SetClaim(ApiContract.PatientClaim, patient.PatientId);
        var authorization = remembered.LastOrDefault()
            ?? await authorizations.CreateAsync(identity, user.Id, applicationId, AuthorizationTypes.Permanent, identity.GetScopes());
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization));
        return SignIn(new(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private ForbidResult Forbid(string error, string description) =>
        Forbid(ConnectApi.Properties(error, description), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
