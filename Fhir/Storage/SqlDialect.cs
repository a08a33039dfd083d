namespace Pgo.Fhir.Storage;

/// <summary>
/// The few places where SQLite and PostgreSQL differ. Everything else (ON CONFLICT, LIMIT/OFFSET,
/// LIKE ... ESCAPE, ||) is written once in SQL both accept. Index values are stored normalized so
/// that comparisons never depend on a database's collation.
/// </summary>
public sealed class SqlDialect
{
    private SqlDialect(string name) => Name = name;

    public string Name { get; }

    public static SqlDialect Sqlite { get; } = new("sqlite");
    public static SqlDialect Postgres { get; } = new("postgres");

    public bool IsPostgres => ReferenceEquals(this, Postgres);

    /// <summary>Auto-increment primary key column type.</summary>
    public string Identity => IsPostgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";

    /// <summary>Numeric type for decimal search values (number, quantity).</summary>
    public string Decimal => IsPostgres ? "NUMERIC" : "REAL";

    /// <summary>Escape character clause for LIKE; values are escaped with <see cref="EscapeLike"/>.</summary>
    public const string LikeEscape = " ESCAPE '\\'";

    public static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
