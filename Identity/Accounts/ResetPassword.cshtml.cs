using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenIddict.Abstractions;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Accounts;

/// <summary>
/// The link from the reset mail: choose a new password. The link works once (the reset changes the security
/// stamp it is bound to) and for an hour (<see cref="LinkTokens"/>). A reset also lifts a lockout, confirms the
/// address (the mail arrived) and ends every app's refresh tokens: whoever knew the old password is out.
/// </summary>
public sealed class ResetPasswordModel(
    UserManager<PgoUser> users,
    SignInLogbook log,
    IOpenIddictTokenManager tokens,
    IStringLocalizer<Texts> text) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Kies een wachtwoord.")]
    [DataType(DataType.Password)]
    [Display(Name = "Nieuw wachtwoord")]
    public string Password { get; set; } = "";

    public bool Done { get; private set; }
    public bool Invalid { get; private set; }

    public void OnGet() => Invalid = string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code);

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrEmpty(UserId) ? null : await users.FindByIdAsync(UserId);
        if (user is null || string.IsNullOrEmpty(Code))
        {
            Invalid = true;
            return Page();
        }
        if (!ModelState.IsValid) return Page();

        var result = await users.ResetPasswordAsync(user, Code, Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) Invalid = true;
            foreach (var error in result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.InvalidToken)).DistinctBy(e => e.Description))
                ModelState.AddModelError(nameof(Password), error.Description);
            return Page();
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        await foreach (var token in tokens.FindBySubjectAsync(user.Id)) await tokens.TryRevokeAsync(token);
        await log.RecordAsync(user, SignInEventKind.PasswordReset);
        Done = true;
        return Page();
    }

    public string InvalidMessage => text["Deze link is niet (meer) geldig. Een link werkt één keer en een uur lang. Vraag een nieuwe aan."];
}
