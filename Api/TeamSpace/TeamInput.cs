using System.Text;
using System.Text.RegularExpressions;
using Pgo.Api.Errors;

namespace Pgo.Api.TeamSpace;

/// <summary>
/// Checks on what people type, collected per field so one response names every problem. Text may not hold
/// control characters (PostgreSQL refuses NUL) or broken UTF-16, and has a maximum length.
/// </summary>
public sealed partial class TeamInput
{
    public const int MaxPostLength = 20_000;
    public const int MaxArticleLength = 200_000;
    public const int MaxTitleLength = 200;
    public const int MaxNameLength = 100;

    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public TeamError Error() => TeamError.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public void Fail(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Trimmed text, or "" after recording why it is not acceptable.</summary>
    public string Text(string field, string? value, int maxLength, bool required = true, bool multiline = false)
    {
        var text = (value ?? "").Trim();
        if (required && text.Length == 0) { Fail(field, ApiText.FieldRequired); return ""; }
        if (text.Length > maxLength) { Fail(field, ApiProblem.Text(ApiText.FieldMaxLength, maxLength)); return ""; }
        if (!IsCleanText(text, multiline)) { Fail(field, ApiText.FieldBadCharacters); return ""; }
        return text;
    }

    /// <summary>A slug ("meerzorg-aanvragen"): given, or made from <paramref name="fallbackFrom"/>.</summary>
    public string Slug(string field, string? value, string fallbackFrom)
    {
        var slug = string.IsNullOrWhiteSpace(value) ? Slugify(fallbackFrom) : value.Trim();
        if (slug.Length > 60 || !SlugPattern().IsMatch(slug)) { Fail(field, ApiText.FieldSlugRules); return ""; }
        return slug;
    }

    /// <summary>A handle for @mentions ("ricardo", "marieke.smit").</summary>
    public string Handle(string field, string? value)
    {
        var handle = (value ?? "").Trim().ToLowerInvariant();
        if (!HandlePattern().IsMatch(handle)) { Fail(field, ApiText.FieldHandleRules); return ""; }
        return handle;
    }

    /// <summary>Tags: folded to lower case without diacritics; "PGB" and "pgb" are one tag.</summary>
    public IReadOnlyList<string> Tags(string field, IEnumerable<string>? values)
    {
        var tags = new List<string>();
        foreach (var raw in values ?? [])
        {
            var tag = NormalizeTag(raw);
            if (tag is null) { Fail(field, ApiProblem.Text(ApiText.FieldTagInvalid, Truncate(raw))); continue; }
            if (!tags.Contains(tag)) tags.Add(tag);
        }
        if (tags.Count > 20) Fail(field, ApiText.FieldTagsMax);
        return tags;
    }

    public static string? NormalizeTag(string? raw)
    {
        var tag = Pgo.Fhir.Search.TextNormalizer.Normalize((raw ?? "").Trim().TrimStart('#'));
        return TagPattern().IsMatch(tag) ? tag : null;
    }

    public static string Slugify(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in Pgo.Fhir.Search.TextNormalizer.Normalize(text))
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }

    public static bool IsCleanText(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
                continue;
            }
            if (char.IsLowSurrogate(c)) return false;
            if (c is '\n' or '\r' or '\t') { if (!multiline && c != '\t') return false; continue; }
            if (char.IsControl(c)) return false;
        }
        return true;
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40];

    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{1,31}$")]
    private static partial Regex HandlePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex TagPattern();
}
