using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Accounts;

/// <summary>Sign-out of Identity itself (apps use /connect/endsession). A POST, so no link elsewhere can do it.</summary>
public sealed class SignOutModel(SignInManager<PgoUser> signIn) : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
