using Microsoft.AspNetCore.Identity;
using Pgo.Identity.Accounts;

namespace Pgo.Identity.TwoFactor;

/// <summary>
/// Who must sign in with a second step (an authenticator app): everyone who sees other people's dossiers
/// for work, administrators, the landelijk coördinator (what all teams signal), and the programme's funder and researcher (its aggregates). Families are offered it. The one place for this rule; it is enforced
/// before any token is issued (authorize, token endpoint, password grant) and right after sign-in.
/// </summary>
public static class TwoFactorPolicy
{
    public static readonly IReadOnlySet<string> RequiredForRoles =
        new HashSet<string>([Roles.Supporter, Roles.Professional, Roles.Agency, Roles.Admin, Roles.Coordinator, Roles.Funder, Roles.Researcher]);

    public const int RecoveryCodeCount = 10;

    public static bool IsRequiredFor(IEnumerable<string> roles) => roles.Any(RequiredForRoles.Contains);

    /// <summary>True when the account must set up two-factor sign-in before it gets a token.</summary>
    public static async Task<bool> MustSetUpAsync(UserManager<PgoUser> users, PgoUser user) =>
        !await users.GetTwoFactorEnabledAsync(user) && IsRequiredFor(await users.GetRolesAsync(user));

    /// <summary>A code as typed: spaces and dashes removed.</summary>
    public static string Clean(string? code) => new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
}
