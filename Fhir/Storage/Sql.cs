namespace Pgo.Fhir.Storage;

/// <summary>Collects named parameters while SQL text is being composed; names are @p0, @p1, ...</summary>
public sealed class SqlParameterBag
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Values => _values;

    /// <summary>Adds a value and returns its placeholder (e.g. "@p3").</summary>
    public string Add(object? value)
    {
        var name = "@p" + _values.Count;
        _values.Add(new(name, value));
        return name;
    }
}

/// <summary>A composed statement: text plus its parameters.</summary>
public sealed record SqlQuery(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters);
