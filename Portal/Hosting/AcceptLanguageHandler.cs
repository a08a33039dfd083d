using System.Globalization;
using System.Net.Http.Headers;

namespace Pgo.Portal.Hosting;

/// <summary>
/// Sends the user's language (the Portal's CurrentUICulture: from the /taal cookie or the browser) as Accept-Language
/// on every call to the Api, so the Api's texts (OperationOutcome diagnostics, problem details) come back in the
/// language the user chose. Registered for every HttpClient of the Portal (ConfigureHttpClientDefaults), so each
/// per-area Api client gets it without its own wiring.
/// </summary>
public sealed class AcceptLanguageHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Apply(request.Headers.AcceptLanguage);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Replaces <paramref name="acceptLanguage"/> with the current UI culture (nothing for the invariant culture).</summary>
    public static void Apply(HttpHeaderValueCollection<StringWithQualityHeaderValue> acceptLanguage)
    {
        if (Current() is not { } language) return;
        acceptLanguage.Clear();
        acceptLanguage.Add(new StringWithQualityHeaderValue(language));
    }

    /// <summary>The current UI culture's name ("nl-NL", "en"), or null for the invariant culture.</summary>
    public static string? Current() => CultureInfo.CurrentUICulture.Name is { Length: > 0 } name ? name : null;
}
