using System.Security.Claims;

namespace Pgo.Api.TeamSpace;

/// <summary>
/// Who is asking, from the authenticated user's claims (Identity's access token: <c>sub</c>, <c>name</c>,
/// <c>role</c>, <c>fhirUser</c>; see Identity/Connect/ApiContract.cs).
/// <see cref="Key"/> identifies a member: the <c>fhirUser</c> claim ("Person/bondgenoot-ricardo"), which is
/// stable across Identity installations and is what the caseload seam knows; an account without a FHIR
/// Person falls back to "sub:" + its account id.
/// </summary>
public sealed record TeamCaller(string Key, string Subject, string Name, IReadOnlyList<string> Roles)
{
    public const string SubClaim = "sub";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";
    public const string FhirUserClaim = "fhirUser";

    /// <summary>The caller, or null when the request is not authenticated or names no subject.</summary>
    public static TeamCaller? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        var sub = user.FindFirst(SubClaim)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (string.IsNullOrWhiteSpace(sub)) return null;
        var fhirUser = user.FindFirst(FhirUserClaim)?.Value;
        var key = string.IsNullOrWhiteSpace(fhirUser) ? "sub:" + sub : fhirUser;
        var name = user.FindFirst(NameClaim)?.Value ?? user.FindFirst(ClaimTypes.Name)?.Value ?? key;
        var roles = user.FindAll(RoleClaim).Concat(user.FindAll(ClaimTypes.Role)).Select(c => c.Value).Distinct().ToList();
        return new TeamCaller(key, sub, name, roles);
    }

    /// <summary>Who may found a new team: supporters (coaches are supporters in Identity) and administrators.</summary>
    public bool MayCreateTeams => Roles.Contains("supporter") || Roles.Contains("admin");
}
