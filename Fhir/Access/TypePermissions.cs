using System.Text.RegularExpressions;

namespace Pgo.Fhir.Access;

/// <summary>
/// What a token's SMART v2 resource scopes allow, per permission letter (c r u d s) and resource type.
/// They only ever narrow what the Consents allow: <c>patient/Goal.rs</c> limits the caller to reading and
/// searching Goals; <c>user/*.cruds</c> leaves the grants as they are; no resource scope means nothing.
/// <c>patient/</c> and <c>user/</c> count for persons, <c>system/</c> only for system clients.
/// </summary>
public sealed partial class TypePermissions
{
    // letter -> allowed types; null = every type
    private readonly Dictionary<char, HashSet<string>?> _allowed;

    private TypePermissions(Dictionary<char, HashSet<string>?> allowed) => _allowed = allowed;

    public static TypePermissions All { get; } = new(new() { ['c'] = null, ['r'] = null, ['u'] = null, ['d'] = null, ['s'] = null });

    public static TypePermissions None { get; } = new(new() { ['c'] = [], ['r'] = [], ['u'] = [], ['d'] = [], ['s'] = [] });

    [GeneratedRegex(@"^(patient|user|system)/(\*|[A-Z][A-Za-z]{1,63})\.(c?r?u?d?s?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    /// <summary>From the token's scopes, counting only the given contexts ("patient", "user" or "system").</summary>
    public static TypePermissions FromScopes(IEnumerable<string> scopes, params string[] contexts)
    {
        var allowed = new Dictionary<char, HashSet<string>?> { ['c'] = [], ['r'] = [], ['u'] = [], ['d'] = [], ['s'] = [] };
        foreach (var scope in scopes)
        {
            var m = Grammar().Match(scope);
            if (!m.Success || !contexts.Contains(m.Groups[1].Value)) continue;
            var type = m.Groups[2].Value;
            foreach (var letter in m.Groups[3].Value)
            {
                if (type == "*") allowed[letter] = null;
                else allowed[letter]?.Add(type);
            }
        }
        return new TypePermissions(allowed);
    }

    public bool Allows(char letter, string type) =>
        _allowed.TryGetValue(letter, out var types) && (types is null || types.Contains(type));

    /// <summary>True when no letter allows anything: the token opens nothing.</summary>
    public bool IsEmpty => _allowed.Values.All(t => t is { Count: 0 });

    /// <summary>Types whose resources may be returned (read or search); null = every type.</summary>
    public IReadOnlySet<string>? ReadTypes =>
        _allowed['r'] is null || _allowed['s'] is null ? null : _allowed['r']!.Union(_allowed['s']!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether every letter allows every type (the scope narrows nothing).</summary>
    public bool IsAll => _allowed.Values.All(t => t is null);
}
