using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Pgo.Portal.Api;
using Pgo.Shared.Codes;
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

/// <summary>The roles Identity puts in the token (Shared/Codes/AccountRoles.cs), as the Portal reads them.</summary>
public static class PortalRoles
{
    public const string Regiehouder = AccountRoles.Regiehouder;
    public const string Family = AccountRoles.Family;
    public const string Supporter = AccountRoles.Supporter;
    public const string Professional = AccountRoles.Professional;
    public const string Agency = AccountRoles.Agency;
    public const string Admin = AccountRoles.Admin;
    /// <summary>The landelijk coördinator: the programme view of knelpunten across teams (/signalering), no dossiers.</summary>
    public const string Coordinator = AccountRoles.Coordinator;
    /// <summary>The programme's financier and researcher (issue 21): the pseudonymised aggregates (/programma) only.</summary>
    public const string Funder = AccountRoles.Funder;
    public const string Researcher = AccountRoles.Researcher;

    /// <summary>Coordinator, funder or researcher: the programme view of pseudonymised aggregates (/programma).</summary>
    public static bool IsProgramme(this ClaimsPrincipal user) => AccountRoles.Programme.Any(user.IsInRole);

    public static bool IsFamily(this ClaimsPrincipal user) => AccountRoles.FamilySide.Any(user.IsInRole);
}
