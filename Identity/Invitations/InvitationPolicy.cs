using System.Security.Claims;
using OpenIddict.Abstractions;
using Pgo.Identity.Accounts;
using Pgo.Identity.Connect;
using Pgo.Identity.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Invitations;

/// <summary>The operations on invitations that a caller of <c>/api/invitations</c> may ask for.</summary>
public enum InvitationOperation { Create, ReadOwn, Withdraw, ReadAccepted }

/// <summary>
/// The one place that decides who may do what with invitations at Identity's API. Identity only checks who
/// is calling: every call needs a token of this server with the <c>invitations</c> scope; a person must be a
/// regiehouder; a system client (client credentials, the Api) may act for someone it names. Whether this
/// regiehouder holds regie over this patient, or whether a supporter was allowed to invite, is the Api's
/// Consent model: it calls with its system token on that person's behalf, or refuses.
/// </summary>
public static class InvitationPolicy
{
    public static bool IsSystem(ClaimsPrincipal caller) =>
        caller.GetClaim(Claims.Subject) is { } subject && subject == caller.GetClaim(Claims.ClientId);

    public static bool Allows(ClaimsPrincipal caller, InvitationOperation operation)
    {
        if (!caller.HasScope(ScopePolicy.Invitations)) return false;
        if (IsSystem(caller)) return true;
        return operation switch
        {
            InvitationOperation.Create => caller.HasClaim(Claims.Role, Roles.Regiehouder) && caller.GetClaim(ApiContract.FhirUserClaim) is { Length: > 0 },
            InvitationOperation.ReadOwn or InvitationOperation.Withdraw => true, // their own only, see AllowsOn
            _ => false,
        };
    }

    /// <summary>For an existing invitation: a person only their own; a system client any.</summary>
    public static bool AllowsOn(ClaimsPrincipal caller, InvitationOperation operation, Invitation invitation) =>
        Allows(caller, operation) && (IsSystem(caller) || invitation.InvitedBy == caller.GetClaim(Claims.Subject));
}
