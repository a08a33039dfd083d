using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pgo.Identity.External;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Accounts;

/// <summary>
/// Sign-in with e-mail and password. Failures count towards the lockout (<see cref="PasswordPolicy"/>) and are
/// logged for the account holder; the page says the same for every failure (<see cref="SameAnswer"/>). An account with two-factor sign-in continues at the code page.
/// </summary>
public sealed class SignInModel(
    SignInManager<PgoUser> signIn,
    UserManager<PgoUser> users,
    SignInLogbook log,
    SignInFlow flow,
    EntraLogin entra,
    IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty]
    public SignInForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public bool EntraEnabled => entra.IsEnabled;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var email = Form.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null) SameAnswer.HashAnyway(users, Form.Password);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
            return LocalRedirect(AccountPaths.SignInCode + QueryString.Create("returnUrl", ReturnUrl ?? "/"));
        if (result.Succeeded)
        {
            await log.RecordAsync(user!, SignInEventKind.SignedIn, "wachtwoord");
            return await flow.ContinueAsync(this, user!, ReturnUrl);
        }

        if (result.IsLockedOut) SameAnswer.HashAnyway(users, Form.Password); // a locked account's password is not checked
        if (user is not null) await log.RecordAsync(user, result.IsLockedOut ? SignInEventKind.LockedOut : SignInEventKind.SignInFailed);
        // One message for an unknown address, a wrong password and a locked account (the holder sees the lockout in their log).
        Error = SameAnswer.WrongCredentials(text);
        return Page();
    }

    public sealed class SignInForm
    {
        [Required(ErrorMessage = "Vul uw e-mailadres in.")]
        [EmailAddress(ErrorMessage = "Dit is geen geldig e-mailadres.")]
        [Display(Name = "E-mailadres")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Vul uw wachtwoord in.")]
        [DataType(DataType.Password)]
        [Display(Name = "Wachtwoord")]
        public string Password { get; set; } = "";
    }
}
