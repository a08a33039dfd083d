using System.Collections.Immutable;
using Pgo.Identity.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Smart;

/// <summary>
/// The one place that decides which scopes exist, which a client may ask for and which a person gets.
/// A client's allowed scopes are its <c>scp:</c> permissions; a SMART permission such as
/// <c>scp:patient/*.cruds</c> allows every narrower scope (<c>patient/Goal.rs</c>).
/// </summary>
public static class ScopePolicy
{
    public const string FhirUser = "fhirUser";
    public const string Launch = "launch";
    public const string LaunchPatient = "launch/patient";

    /// <summary>Create and read invitations at Identity's own API (<c>/api/invitations</c>); adds Identity as an audience.</summary>
    public const string Invitations = "invitations";

    /// <summary>
    /// Read a person's mail address and language at Identity (<c>/api/accounts/contact</c>), to mail them a notification;
    /// system clients only, never in a person's token; adds Identity as an audience.
    /// </summary>
    public const string AccountContact = "account-contact";

    /// <summary>The non-SMART scopes a system client (client credentials) may have: Identity's own APIs.</summary>
    public static readonly IReadOnlyList<string> SystemOnly = [AccountContact];

    /// <summary>The scopes that make a token usable at Identity's own API (audience <c>pgo-identity</c>).</summary>
    public static readonly IReadOnlyList<string> ForIdentityApi = [Invitations, AccountContact];

    /// <summary>The scopes that are not SMART resource scopes.</summary>
    public static readonly IReadOnlyList<string> Fixed =
        [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, FhirUser, Launch, LaunchPatient, Invitations, AccountContact];

    /// <summary>Advertised in the discovery document; any scope in the SMART grammar is accepted.</summary>
    public static readonly IReadOnlyList<string> Advertised =
        [.. Fixed, "patient/*.rs", "patient/*.cruds", "user/*.rs", "user/*.cruds", "system/*.rs"];

    /// <summary>
    /// Why <paramref name="scope"/> may not be requested by a client with these permissions in this kind of
    /// request, or null when it may. Client credentials (a system, no person) get <c>system/</c> scopes only;
    /// a person's flows never get <c>system/</c> scopes.
    /// </summary>
    public static string? Refusal(string scope, IReadOnlyCollection<string> clientPermissions, bool clientCredentials)
    {
        var smart = SmartScope.Parse(scope);
        if (clientCredentials && smart?.Context != SmartScope.System && scope != Invitations && !SystemOnly.Contains(scope))
            return $"The scope '{scope}' needs a person; a system client may only ask for system/ scopes (and invitations, account-contact).";
        if (!clientCredentials && SystemOnly.Contains(scope))
            return $"The scope '{scope}' is for system clients only.";
        if (!clientCredentials && smart?.Context == SmartScope.System)
            return $"The scope '{scope}' is for system clients only.";

        if (smart is null)
        {
            if (!Fixed.Contains(scope)) return $"The scope '{scope}' is unknown.";
            // openid is always allowed; offline_access is governed by the refresh_token grant permission.
            if (scope is Scopes.OpenId or Scopes.OfflineAccess) return null;
            return clientPermissions.Contains(Permissions.Prefixes.Scope + scope)
                ? null
                : $"This client may not ask for the scope '{scope}'.";
        }

        var allowed = clientPermissions
            .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => SmartScope.Parse(p[Permissions.Prefixes.Scope.Length..]))
            .Any(permitted => permitted is not null && smart.IsCoveredBy(permitted));
        return allowed ? null : $"This client may not ask for the scope '{scope}'.";
    }

    /// <summary>
    /// What a person gets of the requested scopes. patient/ and user/ scopes only for an account that is a
    /// FHIR Person (has fhirUser): without it the Api could not tell whose data the token opens.
    /// </summary>
    public static ImmutableArray<string> GrantedTo(PgoUser user, IEnumerable<string> requested) =>
        [.. requested.Distinct().Where(scope =>
            SmartScope.Parse(scope) is not { } smart
            || (smart.Context != SmartScope.System && !string.IsNullOrEmpty(user.FhirUser)))];
}
