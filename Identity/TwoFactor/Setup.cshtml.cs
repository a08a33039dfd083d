using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.TwoFactor;

/// <summary>
/// Two-factor sign-in for the signed-in account: set up (key, otpauth:// URI and QR code, then a first code
/// to prove the app works), recovery codes shown once, new recovery codes, and switching it off (only where
/// the role does not require it, and only with a current code).
/// </summary>
[Authorize]
public sealed class SetupModel(
    UserManager<PgoUser> users,
    SignInManager<PgoUser> signIn,
    SignInLogbook log,
    IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty]
    [Display(Name = "Code uit uw app")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Enabled { get; private set; }
    public bool Required { get; private set; }
    public string? Key { get; private set; }
    public string? KeyUri { get; private set; }
    public string? QrCode { get; private set; }
    public int RecoveryCodesLeft { get; private set; }

    /// <summary>Shown once, right after they were made.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await LoadAsync(user);
        return Page();
    }

    /// <summary>The first code from the app: switches two-factor sign-in on and shows the recovery codes.</summary>
    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (await users.GetTwoFactorEnabledAsync(user)) return RedirectToPage();

        if (!await IsValidCodeAsync(user))
        {
            Error = text["Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en probeer de nieuwste code."];
            await LoadAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorPolicy.RecoveryCodeCount) ?? []];
        await log.RecordAsync(user, SignInEventKind.TwoFactorEnabled);
        await signIn.RefreshSignInAsync(user); // the security stamp changed
        Done = text["Tweestapsverificatie staat aan. Vanaf nu vraagt PGO bij het aanmelden ook om een code uit uw app."];
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!await users.GetTwoFactorEnabledAsync(user)) return RedirectToPage();

        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorPolicy.RecoveryCodeCount) ?? []];
        await log.RecordAsync(user, SignInEventKind.RecoveryCodesRenewed);
        Done = text["Nieuwe herstelcodes gemaakt. De oude werken niet meer."];
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (TwoFactorPolicy.IsRequiredFor(await users.GetRolesAsync(user)))
        {
            Error = text["Voor uw rol is tweestapsverificatie verplicht. U kunt haar niet uitzetten."];
        }
        else if (!await IsValidCodeAsync(user))
        {
            Error = text["Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en probeer de nieuwste code."];
        }
        else
        {
            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user); // a later set-up starts with a new key
            await log.RecordAsync(user, SignInEventKind.TwoFactorDisabled);
            await signIn.RefreshSignInAsync(user);
            Done = text["Tweestapsverificatie staat uit."];
        }
        await LoadAsync(user);
        return Page();
    }

    private Task<bool> IsValidCodeAsync(PgoUser user) =>
        users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, TwoFactorPolicy.Clean(Code));

    private async Task LoadAsync(PgoUser user)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        Required = TwoFactorPolicy.IsRequiredFor(await users.GetRolesAsync(user));
        RecoveryCodesLeft = Enabled ? await users.CountRecoveryCodesAsync(user) : 0;
        Code = "";
        if (Enabled) return;

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        Key = AuthenticatorKey.Grouped(key!);
        KeyUri = AuthenticatorKey.Uri(key!, user.Email ?? user.UserName ?? user.Id);
        QrCode = AuthenticatorKey.QrCodeDataUri(KeyUri);
    }
}
