using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Accounts;

/// <summary>
/// Asks for a reset link. The answer is the same whether or not the address has an account, so the page
/// cannot be used to find out who has one.
/// </summary>
public sealed class ForgotPasswordModel(AccountMails mails) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Vul uw e-mailadres in.")]
    [EmailAddress(ErrorMessage = "Dit is geen geldig e-mailadres.")]
    [Display(Name = "E-mailadres")]
    public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        await mails.SendPasswordResetAsync(Email.Trim());
        Sent = true;
        return Page();
    }
}
