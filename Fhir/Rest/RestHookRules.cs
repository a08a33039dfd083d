using System.Net;
using System.Net.Sockets;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Rest;

/// <summary>
/// Where rest-hook Subscriptions may post (ADR 7). <see cref="Restricted"/> (always in Production) means: https only, the
/// host on the operator's <see cref="AllowedHosts"/> (empty: no rest-hooks at all), never a loopback, private or
/// link-local address, and only the headers on <see cref="Headers"/>. Unrestricted (Development, tests): any
/// http(s) endpoint and header, as a developer's local listener needs.
/// Configuration section <c>Subscriptions:RestHook</c>.
/// </summary>
public sealed class RestHookOptions
{
    public const string Section = "Subscriptions:RestHook";

    public bool Restricted { get; set; }

    /// <summary>Host names (exact, or <c>*.example.org</c> for its subdomains) a rest-hook may post to.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Header names a client may have sent with its notifications (a token for its endpoint); not configured:
    /// <c>Authorization</c> only (a list, because the configuration binder adds to a list that has items already).</summary>
    public List<string>? AllowedHeaders { get; set; }

    public IReadOnlyList<string> Headers => AllowedHeaders ?? ["Authorization"];
}

/// <summary>
/// The rules of <see cref="RestHookOptions"/>, used when a Subscription is written (422 with the reason) and again by the
/// notifier before and during each delivery, so a changed configuration also applies to Subscriptions written earlier.
/// Each check returns null when allowed, else the reason in Dutch.
/// </summary>
public static class RestHookRules
{
    /// <summary>Scheme and host of the endpoint (no DNS: <see cref="IsPublic"/> judges the addresses when connecting).</summary>
    public static string? CheckEndpoint(string? endpoint, RestHookOptions options)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return options.Restricted
                ? FhirText.HookEndpointMustBeHttps
                : FhirText.HookEndpointMustBeHttp;
        if (!options.Restricted) return null;
        if (uri.Scheme != Uri.UriSchemeHttps) return FhirText.HookEndpointMustBeHttps;
        if (options.AllowedHosts.Count == 0)
            return FhirText.HooksOff;
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address) ? !IsPublic(address) : IsLocalName(host))
            return FhirText.HookEndpointInternal;
        if (!options.AllowedHosts.Any(allowed => HostMatches(host, allowed)))
            return Text.Format(FhirText.HookHostNotAllowed, uri.Host);
        return null;
    }

    /// <summary>Every header must be <c>Name: value</c> with a name on the allow-list (restricted only).</summary>
    public static string? CheckHeaders(IEnumerable<string?> headers, RestHookOptions options)
    {
        if (!options.Restricted) return null;
        foreach (var header in headers)
        {
            var name = NameOf(header);
            if (name is null || !options.Headers.Contains(name, StringComparer.OrdinalIgnoreCase))
                return options.Headers.Count == 0
                    ? FhirText.HookHeadersNotAllowed
                    : Text.Format(FhirText.HookHeaderNotAllowed, name ?? header, string.Join(", ", options.Headers));
        }
        return null;
    }

    /// <summary>The headers to send: all when unrestricted, else only those on the allow-list.</summary>
    public static IEnumerable<(string Name, string Value)> HeadersToSend(IEnumerable<string?> headers, RestHookOptions options)
    {
        foreach (var header in headers)
        {
            var name = NameOf(header);
            if (name is null || (options.Restricted && !options.Headers.Contains(name, StringComparer.OrdinalIgnoreCase))) continue;
            yield return (name, header![(header!.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        }
    }

    /// <summary>
    /// False for the addresses a notification must never reach in Production: loopback, private (RFC 1918, unique local),
    /// link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified, multicast and reserved ranges.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                     || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                     || (b[0] == 198 && b[1] is 18 or 19));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                     || (b[0] & 0xFE) == 0xFC); // fc00::/7 unique local
        }
        return false;
    }

    private static bool IsLocalName(string host) =>
        host is "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || host.EndsWith(".local", StringComparison.Ordinal)
        || host.EndsWith(".internal", StringComparison.Ordinal) || !host.Contains('.', StringComparison.Ordinal);

    private static bool HostMatches(string host, string allowed)
    {
        allowed = allowed.Trim().TrimEnd('.').ToLowerInvariant();
        return allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.Ordinal) && host.Length > allowed.Length - 1
            : host == allowed;
    }

    private static string? NameOf(string? header)
    {
        var colon = header?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var name = colon > 0 ? header![..colon].Trim() : null;
        return name is { Length: > 0 } && name.All(c => c > ' ' && c < 127 && c != ':') ? name : null;
    }
}
