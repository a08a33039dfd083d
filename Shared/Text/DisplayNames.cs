using Hl7.Fhir.Model;

namespace Pgo.Shared.Text;

/// <summary>The one rule for showing a person's name: the first HumanName's text when it has one, otherwise its given
/// names and family name joined by spaces (blank parts left out). Used by the Api's views and the Portal alike.</summary>
public static class DisplayNames
{
    /// <summary>The display name of the first name in <paramref name="names"/>; null when there is none or it is blank.</summary>
    public static string? Of(IEnumerable<HumanName>? names) => names?.FirstOrDefault() is { } name ? Of(name) : null;

    /// <summary>The display name of one HumanName; null when it has neither text nor any name part.</summary>
    public static string? Of(HumanName? name)
    {
        if (name is null) return null;
        if (!string.IsNullOrWhiteSpace(name.Text)) return name.Text.Trim();
        var joined = string.Join(' ', name.Given.Append(name.Family).OfType<string>().Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()));
        return joined.Length == 0 ? null : joined;
    }
}
