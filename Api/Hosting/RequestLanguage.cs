using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Pgo.Api.Hosting;

/// <summary>
/// The language of a request's texts (OperationOutcome diagnostics, problem details, hub errors): Dutch unless the
/// caller's <c>Accept-Language</c> asks for English. The Portal sends its user's language on every call.
/// </summary>
public static class RequestLanguage
{
    public static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>Sets CurrentUICulture (nl or en, default nl) from Accept-Language only: no query-string or cookie
    /// provider, so a FHIR search parameter can never be read as a language. CurrentCulture stays invariant:
    /// numbers and dates in data, links and SQL must not change with the reader's language (see the README).</summary>
    public static WebApplication UseRequestLanguage(this WebApplication app)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, Dutch),
            SupportedCultures = [CultureInfo.InvariantCulture],
            SupportedUICultures = [Dutch, English],
            FallBackToParentUICultures = true,
            ApplyCurrentCultureToResponseHeaders = true,
        };
        options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider { Options = options }];
        app.UseRequestLocalization(options);
        return app;
    }
}
