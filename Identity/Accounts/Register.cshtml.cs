using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Accounts;

/// <summary>
/// Self-registration, meant for the first regiehouder of a family: they create the client's dossier next.
/// Everyone else comes in through an invitation (<c>Invitations/</c>). The password rules are in
/// <see cref="PasswordPolicy"/>; the messages come from <see cref="DutchIdentityErrors"/>.
/// The answer never tells whether the address already has an account (issue 13, W8): the password is judged first,
/// then the page says "check your e-mail" either way. A new address gets the confirmation mail; an address with an
/// account gets a mail saying someone tried to register with it, with the way to sign in. Nobody is signed in here:
/// the person signs in next with the address and password they chose.
/// </summary>
public sealed class RegisterModel(UserManager<PgoUser> users, AccountMails mails, ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public RegisterForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set after a valid form: the address the mail went to (whether it was a new one or not).</summary>
    public string? SentTo { get; private set; }

    public string SignInReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

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

        // The password first, for a new and an existing address alike: its errors reveal nothing about the address.
        var passwordErrors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, Form.Password);
            if (!result.Succeeded) passwordErrors.AddRange(result.Errors);
        }
        if (passwordErrors.Count > 0)
        {
            foreach (var error in passwordErrors.DistinctBy(e => e.Description))
                ModelState.AddModelError($"{nameof(Form)}.{nameof(RegisterForm.Password)}", error.Description);
            return Page();
        }

        var existing = await users.FindByEmailAsync(email);
        if (existing is not null)
        {
            SameAnswer.HashAnyway(users, Form.Password); // creating an account hashes the password: so does this
            mails.SendRegistrationAttempt(existing);
            return Sent(email);
        }

        var created = await users.CreateAsync(user, Form.Password);
        if (!created.Succeeded)
        {
            // Registered at the same moment by someone else: the same answer as any existing address.
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                if (await users.FindByEmailAsync(email) is { } raced) mails.SendRegistrationAttempt(raced);
                return Sent(email);
            }
            foreach (var error in created.Errors.DistinctBy(e => e.Description))
                ModelState.AddModelError(error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal)
                    ? $"{nameof(Form)}.{nameof(RegisterForm.Email)}" : "", error.Description);
            return Page();
        }

        await users.AddToRoleAsync(user, Roles.Regiehouder);
        await mails.SendConfirmationAsync(user);
        logger.LogInformation("Account {UserId} registered", user.Id);
        return Sent(email);
    }

    private PageResult Sent(string email)
    {
        SentTo = email;
        return Page();
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
