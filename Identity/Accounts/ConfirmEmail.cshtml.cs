using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Accounts;

/// <summary>The link from the confirmation mail: marks the address as confirmed (tokens then say email_verified).</summary>
public sealed class ConfirmEmailModel(UserManager<PgoUser> users, SignInLogbook log) : PageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(string? user, string? code)
    {
        var account = string.IsNullOrEmpty(user) ? null : await users.FindByIdAsync(user);
        if (account is null || string.IsNullOrEmpty(code)) return;
        if (account.EmailConfirmed)
        {
            Confirmed = true;
            return;
        }
        Confirmed = (await users.ConfirmEmailAsync(account, code)).Succeeded;
        if (Confirmed) await log.RecordAsync(account, SignInEventKind.EmailConfirmed);
    }
}
