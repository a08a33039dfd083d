using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.TwoFactor;

/// <summary>The second step of signing in: the six-digit code from the authenticator app (each code works once).</summary>
public sealed class SignInCodeModel(
    SignInManager<PgoUser> signIn,
    SignInLogbook log,
    SignInFlow flow,
    IStringLocalizer<Texts> text) : SecondStepModel(signIn, log, flow, text)
{
    [BindProperty]
    [Required(ErrorMessage = "Vul de code uit uw app in.")]
    [Display(Name = "Code uit uw app")]
    public string Code { get; set; } = "";

    protected override string WrongCode =>
        Text["Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en probeer de nieuwste code."];

    protected override string SignedInWith => "code";

    protected override string What => "code uit de app";

    protected override async Task<(bool, bool)> TryAsync(PgoUser user)
    {
        var result = await SignInManager.TwoFactorAuthenticatorSignInAsync(TwoFactorPolicy.Clean(Code), isPersistent: false, rememberClient: false);
        return (result.Succeeded, result.IsLockedOut);
    }
}
