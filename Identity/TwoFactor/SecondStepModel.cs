using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.TwoFactor;

/// <summary>
/// What the two second-step pages (code from the app, recovery code) share: only reachable after the password was
/// right (ASP.NET Core Identity keeps that in a short-lived two-factor cookie), on success continue the sign-in,
/// on failure log it and say so (wrong codes count towards the lockout, like wrong passwords).
/// </summary>
public abstract class SecondStepModel(SignInManager<PgoUser> signIn, SignInLogbook log, SignInFlow flow, IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    protected IStringLocalizer<Texts> Text => text;

    protected SignInManager<PgoUser> SignInManager => signIn;

    protected SignInLogbook Log => log;

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? BackToSignIn() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return BackToSignIn();
        if (!ModelState.IsValid) return Page();

        var (succeeded, lockedOut) = await TryAsync(user);
        if (succeeded)
        {
            await log.RecordAsync(user, SignInEventKind.SignedIn, $"wachtwoord en {SignedInWith}");
            return await flow.ContinueAsync(this, user, ReturnUrl);
        }

        await log.RecordAsync(user, lockedOut ? SignInEventKind.LockedOut : SignInEventKind.TwoFactorFailed, What);
        Error = lockedOut
            ? text["U heeft te vaak een verkeerde code ingevuld. Uw account is {0} minuten geblokkeerd.", (int)PasswordPolicy.LockoutDuration.TotalMinutes]
            : WrongCode;
        return Page();
    }

    /// <summary>Checks the code (and signs in when it is right).</summary>
    protected abstract Task<(bool Succeeded, bool LockedOut)> TryAsync(PgoUser user);

    /// <summary>The code in the sign-in log: after "wachtwoord en " on success, alone on failure.</summary>
    protected abstract string SignedInWith { get; }

    protected abstract string What { get; }

    /// <summary>The message for a code that is not right.</summary>
    protected abstract string WrongCode { get; }

    private RedirectResult BackToSignIn() => Redirect(AccountPaths.SignIn + QueryString.Create("returnUrl", ReturnUrl ?? "/"));
}
