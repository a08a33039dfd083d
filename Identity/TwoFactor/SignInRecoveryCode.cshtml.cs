using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
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
    IStringLocalizer<Texts> text) : SecondStepModel(signIn, log, flow, text)
{
    [BindProperty]
    [Required(ErrorMessage = "Vul een herstelcode in.")]
    [Display(Name = "Herstelcode")]
    public string Code { get; set; } = "";

    protected override string WrongCode => Text["Deze herstelcode klopt niet of is al gebruikt."];

    protected override string SignedInWith => "herstelcode";

    protected override string What => "herstelcode";

    protected override async Task<(bool, bool)> TryAsync(PgoUser user)
    {
        var result = await SignInManager.TwoFactorRecoveryCodeSignInAsync(AsStored(Code));
        if (result.Succeeded)
        {
            await Log.RecordAsync(user, SignInEventKind.RecoveryCodeUsed, $"nog {await users.CountRecoveryCodesAsync(user)} over");
            return (true, false);
        }
        if (!result.IsLockedOut) await users.AccessFailedAsync(user); // a guessed recovery code counts like a guessed password
        return (false, result.IsLockedOut || await users.IsLockedOutAsync(user));
    }

    /// <summary>Recovery codes are stored as "XXXXX-XXXXX": accept them typed without the dash or with spaces.</summary>
    private static string AsStored(string code)
    {
        var bare = TwoFactorPolicy.Clean(code);
        return bare.Length == 10 ? $"{bare[..5]}-{bare[5..]}" : code.Trim();
    }
}
