using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Access;

/// <summary>
/// The compiled access decision for one request: what the caller may see and change.
/// Search and read SQL ask it for a predicate, so filtering happens inside the query,
/// never afterwards. The consent model fills this in; until then only the unrestricted
/// scope (system callers) exists.
/// </summary>
public sealed class AccessScope
{
    private AccessScope(bool unrestricted) => IsUnrestricted = unrestricted;

    public bool IsUnrestricted { get; }

    public static AccessScope Unrestricted { get; } = new(true);

    /// <summary>
    /// SQL predicate over the resource table aliased <paramref name="alias"/>; appended to every
    /// query that returns or counts resources. Adds its parameters to <paramref name="sql"/>.
    /// </summary>
    public string Predicate(string alias, SqlParameterBag sql) => IsUnrestricted ? "1=1" : throw new InvalidOperationException("Restricted scopes are compiled by the consent model.");
}
