using System.Security.Claims;
using Pgo.Fhir.Access;

namespace Pgo.Api.Notifications;

/// <summary>
/// Who a notification is for: a person's key, their <c>fhirUser</c> (<c>Person/strikwerda-tessa</c>), else
/// <c>sub:&lt;sub&gt;</c>: the same key the team space uses for its members, so a mention and a dossier message reach
/// the same bell.
/// </summary>
public static class NotificationRecipient
{
    /// <summary>The signed-in person's key, or null when the request names nobody.</summary>
    public static string? KeyOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        var fhirUser = user.FindFirst("fhirUser")?.Value;
        if (fhirUser is { Length: > 0 }) return fhirUser;
        var sub = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return sub is { Length: > 0 } ? "sub:" + sub : null;
    }

    /// <summary>
    /// The recipient as a caller, for deciding whether they may know of something: their Consents, as when they read it
    /// in the Portal (whose token carries <c>user/*.cruds</c>). Null for a key without a Person (such a person has no
    /// dossier access, so nothing of a dossier is ever decided for them).
    /// </summary>
    public static CallerContext? AsCaller(string key) =>
        key.StartsWith("Person/", StringComparison.Ordinal)
            ? new CallerContext("notification:" + key, key, ["user/*.cruds"], IsSystem: false)
            : null;

    /// <summary>The SignalR group of a person's connections on /hubs/notifications.</summary>
    public static string Group(string key) => "person:" + key;
}
