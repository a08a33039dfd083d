using Hl7.Fhir.Model;

namespace Pgo.Fhir.Access;

/// <summary>
/// A <c>Subscription</c> is private to the caller who created it (docs/adr/0007-subscriptions.md): it exposes an
/// endpoint, its headers and search criteria. The server records the owner in an extension (never taken from the
/// client) and stores the row in the owner's own "section" <c>eigen:&lt;owner&gt;</c>, so that the access predicate
/// (<see cref="AccessScope.Predicate"/>) hides it from everyone else inside every query, like any other access rule.
/// </summary>
public static class SubscriptionOwner
{
    public const string OwnerExtension = PgoCodes.Base + "/StructureDefinition/subscription-owner";
    public const string ScopesExtension = PgoCodes.Base + "/StructureDefinition/subscription-scopes";
    /// <summary>The SMART launch patient of the token that wrote the subscription: it never sees beyond that dossier.</summary>
    public const string LaunchPatientExtension = PgoCodes.Base + "/StructureDefinition/subscription-launch-patient";
    public const string SectionPrefix = "eigen:";

    /// <summary>Who owns what this caller creates: its Person (fhirUser), or "client:&lt;id&gt;" for system callers.</summary>
    public static string Of(CallerContext caller) =>
        caller.IsSystem ? "client:" + (caller.ClientId ?? caller.Subject)
        : caller.FhirUser is { Length: > 0 } user ? user : "sub:" + caller.Subject;

    public static string SectionOf(string owner) => SectionPrefix + owner;

    public static bool IsOwnerSection(string? section) => section is not null && section.StartsWith(SectionPrefix, StringComparison.Ordinal);

    /// <summary>The owner recorded by the server, or null.</summary>
    public static string? Recorded(Resource resource) =>
        (resource as DomainResource)?.GetExtensionValue<FhirString>(OwnerExtension)?.Value;

    /// <summary>The token scopes recorded at the last write: the subscription never acts with more than its owner's token.</summary>
    public static IReadOnlyList<string> RecordedScopes(Resource resource) =>
        ((resource as DomainResource)?.GetExtensionValue<FhirString>(ScopesExtension)?.Value ?? "")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The caller the subscription acts as when it evaluates its criteria.</summary>
    public static CallerContext? CallerOf(Resource subscription)
    {
        var owner = Recorded(subscription);
        if (owner is null) return null;
        var scopes = RecordedScopes(subscription);
        if (owner.StartsWith("client:", StringComparison.Ordinal))
        {
            var client = owner["client:".Length..];
            return new CallerContext(client, null, scopes, IsSystem: true, ClientId: client);
        }
        var launchPatient = RecordedLaunchPatient(subscription);
        if (owner.StartsWith("sub:", StringComparison.Ordinal))
            return new CallerContext(owner["sub:".Length..], null, scopes, IsSystem: false, LaunchPatient: launchPatient);
        return new CallerContext("subscription:" + subscription.Id, owner, scopes, IsSystem: false, LaunchPatient: launchPatient);
    }

    /// <summary>The launch patient recorded at the owner's last write, or null.</summary>
    public static string? RecordedLaunchPatient(Resource resource) =>
        (resource as DomainResource)?.GetExtensionValue<FhirString>(LaunchPatientExtension)?.Value;

    /// <summary>Records <paramref name="owner"/>, <paramref name="scopes"/> and the launch patient, dropping any such
    /// extension the client sent.</summary>
    public static void Stamp(DomainResource resource, string owner, IEnumerable<string> scopes, string? launchPatient = null)
    {
        resource.Extension.RemoveAll(e => e.Url is OwnerExtension or ScopesExtension or LaunchPatientExtension);
        resource.Extension.Add(new Extension(OwnerExtension, new FhirString(owner)));
        resource.Extension.Add(new Extension(ScopesExtension, new FhirString(string.Join(' ', scopes))));
        if (launchPatient is not null) resource.Extension.Add(new Extension(LaunchPatientExtension, new FhirString(launchPatient)));
    }
}
