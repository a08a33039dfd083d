using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Pgo.Identity.Accounts;

/// <summary>Sign-in with e-mail and password. Failures count towards the lockout (<see cref="PasswordPolicy"/>).</summary>
public sealed class SignInModel(SignInManager<PgoUser> signIn, IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty]
    public SignInForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var result = await signIn.PasswordSignInAsync(Form.Email.Trim(), Form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");

        Error = result.IsLockedOut
            ? text["U heeft te vaak een verkeerd wachtwoord ingevuld. Uw account is {0} minuten geblokkeerd. Probeer het daarna opnieuw.",
                (int)PasswordPolicy.LockoutDuration.TotalMinutes]
            : text["Het e-mailadres of het wachtwoord klopt niet."];
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
