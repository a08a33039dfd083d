using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.TwoFactor;

/// <summary>The second step with a recovery code instead of the app. Each code works once.</summary>
public sealed class SignInRecoveryCodeModel(
    SignInManager<PgoUser> signIn,
    UserManager<PgoUser> users,
    SignInLogbook log,
    SignInFlow flow,
    IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Vul een herstelcode in.")]
    [Display(Name = "Herstelcode")]
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

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(AsStored(Code));
        if (result.Succeeded)
        {
            var left = await users.CountRecoveryCodesAsync(user);
            await log.RecordAsync(user, SignInEventKind.RecoveryCodeUsed, $"nog {left} over");
            await log.RecordAsync(user, SignInEventKind.SignedIn, "wachtwoord en herstelcode");
            return await flow.ContinueAsync(this, user, ReturnUrl);
        }

        if (!result.IsLockedOut) await users.AccessFailedAsync(user); // a guessed recovery code counts like a guessed password
        var lockedOut = result.IsLockedOut || await users.IsLockedOutAsync(user);
        await log.RecordAsync(user, lockedOut ? SignInEventKind.LockedOut : SignInEventKind.TwoFactorFailed, "herstelcode");
        Error = lockedOut
            ? text["U heeft te vaak een verkeerde code ingevuld. Uw account is {0} minuten geblokkeerd.", (int)PasswordPolicy.LockoutDuration.TotalMinutes]
            : text["Deze herstelcode klopt niet of is al gebruikt."];
        return Page();
    }

    /// <summary>Recovery codes are stored as "XXXXX-XXXXX": accept them typed without the dash or with spaces.</summary>
    private static string AsStored(string code)
    {
        var bare = TwoFactorPolicy.Clean(code);
        return bare.Length == 10 ? $"{bare[..5]}-{bare[5..]}" : code.Trim();
    }

    private RedirectResult BackToSignIn() => Redirect(AccountPaths.SignIn + QueryString.Create("returnUrl", ReturnUrl ?? "/"));
}
