using Dapper;
using Npgsql;
using Pgo.Api.TeamSpace.Data;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Migration 3 (issue 17) on a team space that already has notifications: they stay, with their ids (the
/// forwarder follows them by id), and an article notification without a post can be stored. SQLite rebuilds the table
/// (it cannot drop a NOT NULL), PostgreSQL alters it.</summary>
public class MigrationThreeTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Notifications_written_before_migration_3_keep_their_ids_and_an_article_notification_fits_after(string provider)
    {
        string? pgDatabase = null;
        var dir = Directory.CreateTempSubdirectory("pgo-team-m3-").FullName;
        string connectionString;
        if (provider == "postgres")
        {
            var admin = Needs.Postgres();
            pgDatabase = "pgo_team_m3_" + Guid.NewGuid().ToString("N")[..12];
            await using (var conn = new NpgsqlConnection(admin))
            {
                await conn.OpenAsync();
                await conn.ExecuteAsync($"CREATE DATABASE {pgDatabase}");
            }
            connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = pgDatabase }.ToString();
        }
        else connectionString = Path.Combine(dir, "teamspace.db");

        try
        {
            await using (var db = TeamSpaceDatabase.FromConnectionString(connectionString))
            {
                // The schema as it was before issue 17: migrations 1 and 2, then a mention.
                await db.WriteAsync(async (c, tx) =>
                {
                    await c.ExecuteAsync("CREATE TABLE ts_schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL);", transaction: tx);
                    foreach (var m in TeamSpaceSchema.Migrations.Where(m => m.Version <= 2))
                    {
                        await c.ExecuteAsync(m.Sql(db.IsPostgres), transaction: tx);
                        await c.ExecuteAsync("INSERT INTO ts_schema_version (version, description, applied_ms) VALUES (@Version, @Description, 0);", new { m.Version, m.Description }, tx);
                    }
                    var team = await c.ExecuteScalarAsync<long>("INSERT INTO ts_team (slug, name, description, created_ms) VALUES ('t', 'T', '', 1) RETURNING id;", transaction: tx);
                    var channel = await c.ExecuteScalarAsync<long>("INSERT INTO ts_channel (team_id, slug, name, description, created_ms) VALUES (@team, 'c', 'C', '', 1) RETURNING id;", new { team }, tx);
                    var post = await c.ExecuteScalarAsync<long>("""
                        INSERT INTO ts_post (team_id, channel_id, author_key, author_name, body, created_ms, last_activity_ms)
                        VALUES (@team, @channel, 'Person/a', 'A', 'Hoi @b', 1, 1) RETURNING id;
                        """, new { team, channel }, tx);
                    foreach (var _ in new[] { 1, 2 })
                    {
                        await c.ExecuteAsync("""
                            INSERT INTO ts_notification (team_id, recipient_key, kind, post_id, actor_key, actor_name, created_ms)
                            VALUES (@team, 'Person/b', 'mention', @post, 'Person/a', 'A', 1);
                            """, new { team, post }, tx);
                    }
                }, default);
                var before = (await db.ReadAsync(c => c.QueryAsync<long>("SELECT id FROM ts_notification ORDER BY id;"), default)).ToList();

                await db.MigrateAsync();

                (await db.SchemaVersionAsync()).ShouldBe(TeamSpaceSchema.Migrations[^1].Version);
                (await db.ReadAsync(c => c.QueryAsync<long>("SELECT id FROM ts_notification WHERE article_id IS NULL AND post_id IS NOT NULL ORDER BY id;"), default))
                    .ShouldBe(before);
                var articleNotification = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>("""
                    INSERT INTO ts_article (team_id, slug, title, category, version, created_by, created_ms, updated_ms, channel_id)
                    VALUES (1, 'a', 'A', 'Algemeen', 1, 'Person/a', 1, 1, 1);
                    INSERT INTO ts_notification (team_id, recipient_key, kind, post_id, article_id, actor_key, actor_name, created_ms)
                    VALUES (1, 'Person/b', 'article', NULL, (SELECT id FROM ts_article WHERE slug = 'a'), 'Person/a', 'A', 2) RETURNING id;
                    """, transaction: tx), default);
                articleNotification.ShouldBeGreaterThan(before.Max()); // ids go on after the old ones
            }
        }
        finally
        {
            if (pgDatabase is not null && ApiFactory.PostgresConnectionString is { } admin)
            {
                NpgsqlConnection.ClearAllPools();
                await using var conn = new NpgsqlConnection(admin);
                await conn.OpenAsync();
                await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {pgDatabase} WITH (FORCE)");
            }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
