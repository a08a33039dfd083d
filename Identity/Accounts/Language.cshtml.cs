using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Accounts;

/// <summary>The language switch in the page header: a cookie, and the account's preference when signed in.</summary>
public sealed class LanguageModel(UserManager<PgoUser> users) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(string? language, string? returnUrl)
    {
        var chosen = Languages.Normalize(language);
        SignInFlow.RememberLanguage(Response, chosen);
        if (await users.GetUserAsync(User) is { } user && user.Language != chosen)
        {
            user.Language = chosen;
            await users.UpdateAsync(user);
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
