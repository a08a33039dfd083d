using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Accounts;

/// <summary>
/// Self-registration, meant for the first regiehouder of a family: they create the client's dossier next.
/// Everyone else comes in through an invitation (<c>Invitations/</c>). A mail asks to confirm the address. The password rules are in
/// <see cref="PasswordPolicy"/>; the messages come from <see cref="DutchIdentityErrors"/>.
/// </summary>
public sealed class RegisterModel(
    UserManager<PgoUser> users,
    SignInManager<PgoUser> signIn,
    AccountMails mails,
    SignInLog.SignInLogbook log,
    SignInFlow flow) : PageModel
{
    [BindProperty]
    public RegisterForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var email = Form.Email.Trim();
        var user = new PgoUser
        {
            UserName = email, Email = email, DisplayName = Form.DisplayName.Trim(),
            Language = Languages.Normalize(System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName),
        };
        user.FhirUser = user.NewFhirUser();
        var created = await users.CreateAsync(user, Form.Password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors.DistinctBy(e => e.Description))
            {
                var field = error.Code.StartsWith("Password", StringComparison.Ordinal) || error.Code == "CommonPassword"
                    ? $"{nameof(Form)}.{nameof(RegisterForm.Password)}"
                    : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal)
                        ? $"{nameof(Form)}.{nameof(RegisterForm.Email)}"
                        : "";
                ModelState.AddModelError(field, error.Description);
            }
            return Page();
        }

        await users.AddToRoleAsync(user, Roles.Regiehouder);
        await mails.SendConfirmationAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        await log.RecordAsync(user, SignInLog.SignInEventKind.SignedIn, "nieuw account");
        return await flow.ContinueAsync(this, user, ReturnUrl);
    }

    public sealed class RegisterForm
    {
        [Required(ErrorMessage = "Vul uw naam in.")]
        [StringLength(200, ErrorMessage = "Uw naam is te lang.")]
        [Display(Name = "Uw naam")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "Vul uw e-mailadres in.")]
        [EmailAddress(ErrorMessage = "Dit is geen geldig e-mailadres.")]
        [Display(Name = "E-mailadres")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Kies een wachtwoord.")]
        [DataType(DataType.Password)]
        [Display(Name = "Wachtwoord")]
        public string Password { get; set; } = "";
    }
}
