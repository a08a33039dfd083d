using System.Data.Common;

namespace Pgo.Shared.Data;

/// <summary>Which database engine a connection string is for.</summary>
public enum DatabaseProvider { Sqlite, PostgreSql }

/// <summary>
/// The one rule that decides SQLite or PostgreSQL from a connection string, shared by the FHIR store, the team
/// space and Identity (each used its own rule, and two read <c>Server=...</c> as a SQLite file name):
/// <list type="bullet">
/// <item><c>Host=...</c> or <c>Server=...</c> (Npgsql's alias) is PostgreSQL;</item>
/// <item><c>Data Source=...</c> (or <c>DataSource=</c>, <c>Filename=</c>) is SQLite;</item>
/// <item>text without <c>=</c> is the path of a SQLite file;</item>
/// <item>empty, or key=value pairs that name neither, is refused with the setting's name.</item>
/// </list>
/// </summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString, string? SqlitePath)
{
    public bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>The database's own clock in milliseconds since 1970, as SQL: the schema migrations stamp when they ran
    /// with it (a log line's time, never compared with the domain clock, so the app's TimeProvider is not asked).</summary>
    public static string NowMillisSql(DatabaseProvider provider) => provider == DatabaseProvider.PostgreSql
        ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    /// <param name="connectionString">The configured value.</param>
    /// <param name="setting">Its configuration key (for example <c>ConnectionStrings:Fhir</c>), named in the error.</param>
    public static DatabaseConnection Parse(string? connectionString, string setting)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException($"{setting} is empty: give a SQLite file path, 'Data Source=<file>' or a PostgreSQL 'Host=...'.", nameof(connectionString));
        var text = connectionString.Trim();
        if (!text.Contains('=', StringComparison.Ordinal))
            return new DatabaseConnection(DatabaseProvider.Sqlite, $"Data Source={text}", text);

        DbConnectionStringBuilder pairs;
        try
        {
            pairs = new DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{setting} is not a valid connection string: {e.Message}", nameof(connectionString), e);
        }
        // Keys compared without case and spaces: "Data Source", "datasource" and "DATA SOURCE" are one key.
        var keys = pairs.Keys.Cast<string>().ToDictionary(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant(), k => k);
        if (keys.ContainsKey("host") || keys.ContainsKey("server"))
            return new DatabaseConnection(DatabaseProvider.PostgreSql, text, null);
        foreach (var name in (string[])["datasource", "filename"])
            if (keys.TryGetValue(name, out var key) && pairs[key] is string path && path.Length > 0)
                return new DatabaseConnection(DatabaseProvider.Sqlite, text, path);
        throw new ArgumentException(
            $"{setting} names neither PostgreSQL (Host=... or Server=...) nor SQLite (Data Source=<file> or a file path).", nameof(connectionString));
    }
}
