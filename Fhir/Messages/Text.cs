using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("nl")]

namespace Pgo.Fhir.Messages;

/// <summary>Fills a text from <see cref="FhirText"/> (already in <see cref="CultureInfo.CurrentUICulture"/>) with its
/// values, formatted in <see cref="CultureInfo.CurrentCulture"/>.</summary>
public static class Text
{
    public static string Format(string text, params object?[] values) => string.Format(CultureInfo.CurrentCulture, text, values);
}
