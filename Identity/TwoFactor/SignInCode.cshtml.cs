using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.TwoFactor;

/// <summary>
/// The second step of signing in: the six-digit code from the authenticator app. Only reachable after the
/// password was right (ASP.NET Core Identity keeps that in a short-lived two-factor cookie). Wrong codes
/// count towards the lockout, like wrong passwords.
/// </summary>
public sealed class SignInCodeModel(
    SignInManager<PgoUser> signIn,
    SignInLogbook log,
    SignInFlow flow,
    IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Vul de code uit uw app in.")]
    [Display(Name = "Code uit uw app")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? BackToSignIn() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return BackToSignIn();
        if (!ModelState.IsValid) return Page();

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactorPolicy.Clean(Code), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await log.RecordAsync(user, SignInEventKind.SignedIn, "wachtwoord en code");
            return await flow.ContinueAsync(this, user, ReturnUrl);
        }

        await log.RecordAsync(user, result.IsLockedOut ? SignInEventKind.LockedOut : SignInEventKind.TwoFactorFailed, "code uit de app");
        Error = result.IsLockedOut
            ? text["U heeft te vaak een verkeerde code ingevuld. Uw account is {0} minuten geblokkeerd.", (int)PasswordPolicy.LockoutDuration.TotalMinutes]
            : text["Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en probeer de nieuwste code."];
        return Page();
    }

    private RedirectResult BackToSignIn() => Redirect(AccountPaths.SignIn + QueryString.Create("returnUrl", ReturnUrl ?? "/"));
}
