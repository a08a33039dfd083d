using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Hosting;

/// <summary>
/// The page for what went wrong: an OpenID Connect request refused before it could safely be sent back to
/// the app (unknown client, wrong redirect_uri, missing PKCE, ...), another error status, or an exception.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    /// <summary>The OAuth error code (invalid_request, ...), shown so a developer can look it up.</summary>
    public string? Code { get; private set; }

    public string? Description { get; private set; }

    public IActionResult OnGet(int? status) => Show(status);

    public IActionResult OnPost(int? status) => Show(status);

    private PageResult Show(int? status)
    {
        var response = HttpContext.GetOpenIddictServerResponse();
        Status = status ?? StatusCodes.Status500InternalServerError;
        Code = response?.Error;
        Description = response?.ErrorDescription;
        Response.StatusCode = Status;
        return Page();
    }
}
