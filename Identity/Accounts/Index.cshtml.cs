using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pgo.Identity.Accounts;

/// <summary>The start page: who is signed in, with the way to the account page.</summary>
public sealed class IndexModel(UserManager<PgoUser> users) : PageModel
{
    public PgoUser? Account { get; private set; }

    public async Task OnGetAsync() =>
        Account = User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(User) : null;
}
