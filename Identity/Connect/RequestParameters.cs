using Microsoft.Extensions.Primitives;

namespace Pgo.Identity.Connect;

/// <summary>
/// The parameters of an OpenID Connect request shown as a page (consent, sign-out confirmation), so the
/// page's form can post them back to the same endpoint, where OpenIddict validates them again.
/// </summary>
public static class RequestParameters
{
    private static readonly HashSet<string> FormOnly = ["__RequestVerificationToken", "decision"];

    public static IEnumerable<KeyValuePair<string, string?>> Of(HttpRequest request) =>
        (request.HasFormContentType ? (IEnumerable<KeyValuePair<string, StringValues>>)request.Form : request.Query)
            .Where(p => !FormOnly.Contains(p.Key))
            .SelectMany(p => p.Value.Select(value => KeyValuePair.Create(p.Key, value)));
}
