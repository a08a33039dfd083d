using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Hosting;

/// <summary>Who is signed in and which dossiers they may open, loaded once per circuit and refreshed on demand
/// (after a change of access, so a revoked dossier disappears on the next navigation).</summary>
public sealed class DossierSession(AuthenticationStateProvider auth, AccessClient access)
{
    private IReadOnlyList<Dossier>? _dossiers;

    public async Task<ClaimsPrincipal> UserAsync() => (await auth.GetAuthenticationStateAsync()).User;

    public async Task<IReadOnlyList<Dossier>> DossiersAsync(bool refresh = false)
    {
        if (_dossiers is null || refresh) _dossiers = await access.DossiersAsync();
        return _dossiers;
    }

    /// <summary>The dossier with this id if the person may (still) open it; asks the Api again, so revoked access shows at once.</summary>
    public async Task<Dossier?> OpenAsync(string id)
    {
        var dossiers = await DossiersAsync(refresh: true);
        return dossiers.FirstOrDefault(d => d.Id == id);
    }

    public event Action? Changed;

    public void NotifyChanged() => Changed?.Invoke();
}

/// <summary>The roles Identity puts in the token (Identity/Accounts/Roles.cs), as the Portal reads them.</summary>
public static class PortalRoles
{
    public const string Regiehouder = "regiehouder";
    public const string Family = "family";
    public const string Supporter = "supporter";
    public const string Professional = "professional";
    public const string Agency = "agency";
    public const string Admin = "admin";

    public static bool IsFamily(this ClaimsPrincipal user) => user.IsInRole(Regiehouder) || user.IsInRole(Family);
}
