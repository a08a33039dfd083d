using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.External;

/// <summary>
/// Starts the Entra ID sign-in (POST) and handles its return (GET, handler "callback"). The work account is
/// linked to a PGO account once: to the account with the same e-mail address when Entra vouches for that
/// address (<c>email_verified</c>, or <c>xms_edov</c>: the domain is verified by the organisation), otherwise a
/// new account with role professional is made, which must set up two-factor sign-in before it gets a token.
/// An account with two-factor sign-in still asks for its code.
/// </summary>
public sealed class ExternalSignInModel(
    SignInManager<PgoUser> signIn,
    UserManager<PgoUser> users,
    SignInLogbook log,
    SignInFlow flow,
    EntraLogin entra,
    IStringLocalizer<Texts> text) : PageModel
{
    public string? Error { get; private set; }

    public IActionResult OnGet() => LocalRedirect(AccountPaths.SignIn);

    public IActionResult OnPost(string? returnUrl)
    {
        if (!entra.IsEnabled) return NotFound();
        var callback = AccountPaths.SignInExternal + QueryString.Create(new Dictionary<string, string?>
        {
            ["handler"] = "callback", ["returnUrl"] = Url.IsLocalUrl(returnUrl) ? returnUrl : "/",
        });
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(EntraLogin.Scheme, callback), EntraLogin.Scheme);
    }

    public async Task<IActionResult> OnGetCallbackAsync(string? returnUrl, string? remoteError)
    {
        var info = remoteError is null ? await signIn.GetExternalLoginInfoAsync() : null;
        if (info is null) return Failed(text["Aanmelden met uw werkaccount is niet gelukt. Probeer het opnieuw of meld u aan met uw e-mailadres."]);

        var tenant = info.Principal.FindFirstValue("http://schemas.microsoft.com/identity/claims/tenantid") ?? info.Principal.FindFirstValue("tid");
        if (entra.AllowedTenants.Count > 0 && (tenant is null || !entra.AllowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase)))
            return Failed(text["Uw organisatie is (nog) niet aangesloten bij PGO."]);

        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        if (!result.Succeeded && !result.RequiresTwoFactor && !result.IsLockedOut && !result.IsNotAllowed)
        {
            // First time with this work account: link it.
            var email = VerifiedEmail(info.Principal);
            if (email is null)
                return Failed(text["Uw werkaccount geeft geen bevestigd e-mailadres door. Meld u aan met uw e-mailadres en wachtwoord."]);
            var user = await users.FindByEmailAsync(email) ?? await CreateProfessionalAsync(email, info.Principal);
            if (user is null) return Failed(text["Er ging iets mis. Probeer het opnieuw."]);
            var linked = await users.AddLoginAsync(user, info);
            if (!linked.Succeeded) return Failed(text["Er ging iets mis. Probeer het opnieuw."]);
            await log.RecordAsync(user, SignInEventKind.ExternalLoginLinked, EntraLogin.DisplayName);
            result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        }

        if (result.RequiresTwoFactor)
            return LocalRedirect(AccountPaths.SignInCode + QueryString.Create("returnUrl", Url.IsLocalUrl(returnUrl) ? returnUrl : "/"));
        var account = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (result.IsLockedOut && account is not null) await log.RecordAsync(account, SignInEventKind.LockedOut, EntraLogin.DisplayName);
        if (!result.Succeeded || account is null)
            return Failed(result.IsLockedOut
                ? text["Uw account is tijdelijk geblokkeerd. Probeer het over {0} minuten opnieuw.", (int)PasswordPolicy.LockoutDuration.TotalMinutes]
                : text["Aanmelden met uw werkaccount is niet gelukt. Probeer het opnieuw of meld u aan met uw e-mailadres."]);

        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        await log.RecordAsync(account, SignInEventKind.SignedIn, EntraLogin.DisplayName);
        return await flow.ContinueAsync(this, account, returnUrl);
    }

    private async Task<PgoUser?> CreateProfessionalAsync(string email, ClaimsPrincipal external)
    {
        var name = external.FindFirstValue("name") ?? external.FindFirstValue(ClaimTypes.Name) ?? email;
        var user = new PgoUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        user.FhirUser = user.NewFhirUser();
        if (!(await users.CreateAsync(user)).Succeeded) return null;
        await users.AddToRoleAsync(user, Roles.Professional);
        return user;
    }

    /// <summary>The e-mail address, only when the provider vouches for it.</summary>
    private static string? VerifiedEmail(ClaimsPrincipal external)
    {
        var email = external.FindFirstValue(ClaimTypes.Email) ?? external.FindFirstValue("email");
        var verified = string.Equals(external.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase)
                       || string.Equals(external.FindFirstValue("xms_edov"), "true", StringComparison.OrdinalIgnoreCase)
                       || external.FindFirstValue("xms_edov") == "1";
        return verified && !string.IsNullOrWhiteSpace(email) ? email.Trim() : null;
    }

    private PageResult Failed(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
