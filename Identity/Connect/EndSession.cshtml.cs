using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Pgo.Identity.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>
/// OpenID Connect end-session (RP-initiated logout). OpenIddict has checked post_logout_redirect_uri.
/// When the app proves which person it signs out (an id_token_hint for the signed-in person) we sign out
/// at once; otherwise the person confirms, so a link on another site cannot sign them out.
/// </summary>
public sealed class EndSessionModel(SignInManager<PgoUser> signIn, UserManager<PgoUser> users) : PageModel
{
    public IEnumerable<KeyValuePair<string, string?>> Parameters => RequestParameters.Of(Request);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!signIn.IsSignedIn(User)) return EndSession();
        var hint = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (hint.Principal?.GetClaim(Claims.Subject) is { } subject && subject == users.GetUserId(User))
            return await SignOutAsync();
        return Page();
    }

    public Task<IActionResult> OnPostAsync() => SignOutAsync();

    private async Task<IActionResult> SignOutAsync()
    {
        await signIn.SignOutAsync();
        return EndSession();
    }

    // Sends the browser to the app's post_logout_redirect_uri, or home when the app named none.
    private SignOutResult EndSession() =>
        SignOut(new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
