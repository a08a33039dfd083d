using System.Globalization;

namespace Pgo.Identity.Accounts;

/// <summary>The languages of the pages and mails: Dutch first, English second (<c>Texts.en.resx</c>).</summary>
public static class Languages
{
    public const string Dutch = "nl";
    public const string English = "en";

    public static readonly IReadOnlyList<string> All = [Dutch, English];

    public static string CultureOf(string? language) => language == English ? "en-GB" : "nl-NL";

    /// <summary>The culture of <paramref name="language"/>, for dates and numbers written for a person in that language.</summary>
    public static CultureInfo Culture(string? language) => CultureInfo.GetCultureInfo(CultureOf(language));

    public static string Normalize(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        English or "en-gb" or "en-us" => English,
        _ => Dutch,
    };

    /// <summary>Runs <paramref name="compose"/> with the UI culture of <paramref name="language"/> (a mail in the recipient's language).</summary>
    public static T In<T>(string? language, Func<T> compose)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(CultureOf(language));
        try { return compose(); }
        finally { CultureInfo.CurrentUICulture = before; }
    }
}
