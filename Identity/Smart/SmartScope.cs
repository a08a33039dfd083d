using System.Text.RegularExpressions;

namespace Pgo.Identity.Smart;

/// <summary>
/// A SMART App Launch v2 resource scope: <c>context/Type.permissions</c>, e.g. <c>patient/Goal.rs</c>,
/// <c>user/*.cruds</c>, <c>system/*.rs</c>. Permissions are a subset of <c>c r u d s</c> (create, read,
/// update, delete, search) in that order. SMART v1 forms (<c>.read</c>, <c>.write</c>) and query
/// suffixes (<c>?category=...</c>) are not accepted (yet).
/// </summary>
public sealed partial record SmartScope(string Context, string ResourceType, string Permissions)
{
    public const string Patient = "patient";
    public const string User = "user";
    public const string System = "system";

    [GeneratedRegex(@"^(patient|user|system)/(\*|[A-Z][A-Za-z]{1,63})\.(c?r?u?d?s?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static SmartScope? Parse(string scope)
    {
        var match = Grammar().Match(scope);
        return match.Success && match.Groups[3].Length > 0
            ? new SmartScope(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value)
            : null;
    }

    /// <summary>True when <paramref name="broader"/> allows everything this scope asks for.</summary>
    public bool IsCoveredBy(SmartScope broader) =>
        Context == broader.Context
        && (broader.ResourceType == "*" || broader.ResourceType == ResourceType)
        && Permissions.All(broader.Permissions.Contains);

    public override string ToString() => $"{Context}/{ResourceType}.{Permissions}";
}
