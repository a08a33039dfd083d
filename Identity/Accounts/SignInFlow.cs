using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pgo.Identity.TwoFactor;

namespace Pgo.Identity.Accounts;

/// <summary>
/// What happens right after a person is signed in, whichever way (password, code, recovery code, Entra ID,
/// invitation): pages in their language, and to the two-factor set-up first when their role requires it.
/// </summary>
public sealed class SignInFlow(UserManager<PgoUser> users)
{
    public async Task<IActionResult> ContinueAsync(PageModel page, PgoUser user, string? returnUrl)
    {
        RememberLanguage(page.Response, user.Language);
        var target = page.Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
        return await TwoFactorPolicy.MustSetUpAsync(users, user)
            ? page.LocalRedirect(AccountPaths.TwoFactorSetup + QueryString.Create("returnUrl", target))
            : page.LocalRedirect(target);
    }

    /// <summary>The culture cookie that request localization reads.</summary>
    public static void RememberLanguage(HttpResponse response, string? language) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Languages.CultureOf(language))),
            new CookieOptions { Expires = response.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
}
