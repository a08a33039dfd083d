using System.Globalization;

namespace Pgo.Fhir.Storage;

/// <summary>
/// The versioned schema. Each migration runs once, in order, inside a transaction, and is recorded
/// in schema_version; a store opened on an older schema upgrades itself on start.
/// Add a migration by appending to <see cref="Migrations"/>; never edit a released one.
/// </summary>
public static class Schema
{
    /// <summary>One schema step. <paramref name="Backfill"/> (optional) recomputes derived columns of existing rows in C#,
    /// inside the same transaction, when the SQL alone cannot (section, project compartments).</summary>
    public sealed record Migration(int Version, string Description, Func<SqlDialect, string> Sql, bool Backfill = false);

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "resources, versions and search index tables", V1),
        new(2, "dossier section per resource; append-only, hash-chained audit log", V2, Backfill: true),
        new(3, "search: date end index, per-resource index rows by parameter, no _id/_lastUpdated index rows", V3),
        new(4, "change outbox for real-time events", V4),
        new(5, "section and patient compartment of every version", V5, Backfill: true),
        new(6, "notifications: per person, idempotent per delivery key; consumer cursors; follows", V6),
        new(7, "notification mail: deliveries (one per key, claimed by one sender) and mail preferences", V7),
        new(8, "access stamp: bumped by every write that can change a caller's grants (the consent scope cache)", V8),
    ];

    public static int Latest => Migrations[^1].Version;

    // Tables:
    //  resource          the current version of each resource (json empty when deleted)
    //  resource_version  every version ever written; seq orders system-level history
    //  resource_compartment  which Patient compartments a resource belongs to (access is decided per patient)
    //  idx_*             typed search index rows of the current version, one table per parameter kind
    private static string V1(SqlDialect d) => $"""
        CREATE TABLE resource (
            res_type      TEXT    NOT NULL,
            res_id        TEXT    NOT NULL,
            version       INTEGER NOT NULL,
            last_updated  BIGINT  NOT NULL,
            deleted       SMALLINT NOT NULL,
            seq           BIGINT  NOT NULL,
            json          TEXT    NOT NULL,
            PRIMARY KEY (res_type, res_id)
        );
        CREATE INDEX ix_resource_type_updated ON resource (res_type, last_updated);

        CREATE TABLE resource_version (
            seq           {d.Identity},
            res_type      TEXT    NOT NULL,
            res_id        TEXT    NOT NULL,
            version       INTEGER NOT NULL,
            last_updated  BIGINT  NOT NULL,
            deleted       SMALLINT NOT NULL,
            method        TEXT    NOT NULL,
            json          TEXT    NOT NULL,
            UNIQUE (res_type, res_id, version)
        );
        CREATE INDEX ix_version_type_seq ON resource_version (res_type, seq);

        CREATE TABLE resource_compartment (
            res_type   TEXT NOT NULL,
            res_id     TEXT NOT NULL,
            patient_id TEXT NOT NULL,
            PRIMARY KEY (res_type, res_id, patient_id)
        );
        CREATE INDEX ix_compartment_patient ON resource_compartment (patient_id, res_type);

        CREATE TABLE idx_string (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            norm TEXT NOT NULL, exact TEXT NOT NULL
        );
        CREATE INDEX ix_string_lookup ON idx_string (res_type, param, norm);
        CREATE INDEX ix_string_res ON idx_string (res_type, res_id);

        CREATE TABLE idx_token (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            system TEXT NOT NULL, code TEXT NOT NULL, text TEXT NULL
        );
        CREATE INDEX ix_token_lookup ON idx_token (res_type, param, code, system);
        CREATE INDEX ix_token_res ON idx_token (res_type, res_id);

        CREATE TABLE idx_reference (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            target_type TEXT NULL, target_id TEXT NULL, url TEXT NULL
        );
        CREATE INDEX ix_reference_lookup ON idx_reference (res_type, param, target_id, target_type);
        CREATE INDEX ix_reference_target ON idx_reference (target_type, target_id);
        CREATE INDEX ix_reference_res ON idx_reference (res_type, res_id);

        CREATE TABLE idx_date (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL
        );
        CREATE INDEX ix_date_lookup ON idx_date (res_type, param, start_ms, end_ms);
        CREATE INDEX ix_date_res ON idx_date (res_type, res_id);

        CREATE TABLE idx_number (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            value {d.Decimal} NOT NULL, low {d.Decimal} NOT NULL, high {d.Decimal} NOT NULL
        );
        CREATE INDEX ix_number_lookup ON idx_number (res_type, param, value);
        CREATE INDEX ix_number_res ON idx_number (res_type, res_id);

        CREATE TABLE idx_quantity (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            system TEXT NOT NULL, code TEXT NOT NULL, unit TEXT NOT NULL,
            value {d.Decimal} NOT NULL, low {d.Decimal} NOT NULL, high {d.Decimal} NOT NULL
        );
        CREATE INDEX ix_quantity_lookup ON idx_quantity (res_type, param, value);
        CREATE INDEX ix_quantity_res ON idx_quantity (res_type, res_id);

        CREATE TABLE idx_uri (
            res_type TEXT NOT NULL, res_id TEXT NOT NULL, param TEXT NOT NULL,
            uri TEXT NOT NULL
        );
        CREATE INDEX ix_uri_lookup ON idx_uri (res_type, param, uri);
        CREATE INDEX ix_uri_res ON idx_uri (res_type, res_id);
        """;

    // section        the dossier section of the resource (Access/SectionClassifier); NULL for directory resources
    //                (types outside the Patient compartment). Existing rows are recomputed by the backfill.
    // audit_entry    the NEN 7513 log: one row per interaction and patient. n counts 1, 2, 3 ... without gaps;
    //                hash = sha256(prev_hash + canonical entry) (Audit/AuditChain). Triggers refuse UPDATE and DELETE.
    // audit_head     the last n and hash, so that removing the newest rows is detected too.
    private static string V2(SqlDialect d) => $"""
        ALTER TABLE resource ADD COLUMN section TEXT NULL;

        CREATE TABLE audit_entry (
            n             BIGINT  NOT NULL PRIMARY KEY,
            recorded_ms   BIGINT  NOT NULL,
            request_id    TEXT    NULL,
            subject       TEXT    NOT NULL,
            fhir_user     TEXT    NULL,
            roles         TEXT    NULL,
            organization  TEXT    NULL,
            client_id     TEXT    NULL,
            action        TEXT    NOT NULL,
            res_type      TEXT    NULL,
            res_id        TEXT    NULL,
            version       INTEGER NULL,
            patient_id    TEXT    NULL,
            section       TEXT    NULL,
            outcome       TEXT    NOT NULL,
            status        INTEGER NOT NULL,
            grants        TEXT    NULL,
            detail        TEXT    NULL,
            prev_hash     TEXT    NOT NULL,
            hash          TEXT    NOT NULL
        );
        CREATE INDEX ix_audit_patient ON audit_entry (patient_id, recorded_ms);

        CREATE TABLE audit_head (
            id    INTEGER NOT NULL PRIMARY KEY,
            n     BIGINT  NOT NULL,
            hash  TEXT    NOT NULL
        );
        {AuditTriggers(d)}
        """;

    private static string AuditTriggers(SqlDialect d) => d.IsPostgres
        ? """
          CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
          BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $fn$;
          CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_append_only();
          """
        : """
          CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
          CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
          """;

    // Search plans (see SearchSqlBuilder: one criterion drives through an index range, the others are
    // checked per resource):
    //  ix_date_end      serves gt/ge/eb on dates (the end of the indexed range); lt/le/sa/eq use ix_date_lookup
    //  ix_*_res         now (res_type, res_id, param): the per-resource check finds the rows of its parameter
    //                   without reading the others, and PostgreSQL prefers it to the lookup index even without
    //                   statistics
    //  _id/_lastUpdated are searched on the resource row: their index rows are no longer written; remove them.
    //  Every date row must have start_ms <= end_ms (the indexer now writes an inverted period as its span):
    //  swap the ends of any stored the other way round.
    // PostgreSQL: extended statistics on the correlated lookup columns, and ANALYZE, so that the planner has
    // statistics for what is already there (autovacuum keeps them current from then on).
    private static string V3(SqlDialect d)
    {
        var sql = new System.Text.StringBuilder("""
            DELETE FROM idx_token WHERE param = '_id';
            DELETE FROM idx_date WHERE param = '_lastUpdated';
            UPDATE idx_date SET start_ms = end_ms, end_ms = start_ms WHERE start_ms > end_ms;
            CREATE INDEX ix_date_end ON idx_date (res_type, param, end_ms);

            """);
        foreach (var kind in new[] { "string", "token", "reference", "date", "number", "quantity", "uri" })
            sql.Append(CultureInfo.InvariantCulture, $"DROP INDEX ix_{kind}_res;\nCREATE INDEX ix_{kind}_res ON idx_{kind} (res_type, res_id, param);\n");
        if (d.IsPostgres)
        {
            // res_type, param (and a token's code) are far from independent: without these, PostgreSQL multiplies
            // their selectivities and takes e.g. gender=female for one row, and lets it drive.
            foreach (var kind in new[] { "string", "reference", "date", "number", "quantity", "uri" })
                sql.Append(CultureInfo.InvariantCulture, $"CREATE STATISTICS st_{kind}_param ON res_type, param FROM idx_{kind};\n");
            sql.Append("CREATE STATISTICS st_token_code ON res_type, param, code FROM idx_token;\n");
            // Only these tables: a bare ANALYZE would take locks on every schema of the database.
            sql.Append("ANALYZE resource, resource_version, resource_compartment, idx_string, idx_token, idx_reference, idx_date, idx_number, idx_quantity, idx_uri;\n");
        }
        return sql.ToString();
    }

    // change_outbox  one row per committed change and patient (patient_id NULL for directory resources), written in the
    //                change's own transaction (Storage/SqlFhirStore.Outbox.cs). pos is the cursor: it grows in commit
    //                order (PostgreSQL takes a lock before assigning it, held until commit), so a reader that has seen pos
    //                n has seen every committed change below n. Rows older than the retention window are removed.
    private static string V4(SqlDialect d) => $"""
        CREATE TABLE change_outbox (
            pos          {d.Identity},
            recorded_ms  BIGINT  NOT NULL,
            res_type     TEXT    NOT NULL,
            res_id       TEXT    NOT NULL,
            version      INTEGER NOT NULL,
            change       TEXT    NOT NULL,
            patient_id   TEXT    NULL,
            section      TEXT    NULL,
            who          TEXT    NULL,
            summary      TEXT    NULL
        );
        CREATE INDEX ix_outbox_patient ON change_outbox (patient_id, pos);
        CREATE INDEX ix_outbox_recorded ON change_outbox (recorded_ms);
        """;

    // Notifications (issue 17): what a person is told, never the content itself (kind, dossier, item reference, who).
    //  notification         one per person and delivery key: adding the same key again adds nothing, so several Api
    //                       instances, a retried batch or a re-run sweep deliver once; read_ms is the unread state
    //                       (server side: it follows the person to every device); mail_state is the mail's progress
    //  notification_cursor  how far a consumer (the outbox dispatcher, the team-space forwarder) has handled its source
    //  notification_follow  who follows a plan or goal (told when it changes)
    private static string V6(SqlDialect d) => $"""
        CREATE TABLE notification (
            id            {d.Identity},
            recipient     TEXT    NOT NULL,
            delivery_key  TEXT    NOT NULL,
            kind          TEXT    NOT NULL,
            patient_id    TEXT    NULL,
            section       TEXT    NULL,
            item          TEXT    NULL,
            actor         TEXT    NULL,
            actor_name    TEXT    NULL,
            created_ms    BIGINT  NOT NULL,
            read_ms       BIGINT  NULL,
            mail_state    TEXT    NOT NULL DEFAULT 'new',
            UNIQUE (recipient, delivery_key)
        );
        CREATE INDEX ix_notification_recipient ON notification (recipient, id);
        CREATE INDEX ix_notification_mail ON notification (mail_state, id);

        CREATE TABLE notification_cursor (
            consumer  TEXT   NOT NULL PRIMARY KEY,
            pos       BIGINT NOT NULL
        );

        CREATE TABLE notification_follow (
            recipient   TEXT   NOT NULL,
            patient_id  TEXT   NOT NULL,
            item        TEXT   NOT NULL,
            since_ms    BIGINT NOT NULL,
            PRIMARY KEY (recipient, item)
        );
        CREATE INDEX ix_follow_item ON notification_follow (item);
        """;

    // Notification mail (issue 17, Api/Notifications/Mail). Never the mail itself (docs/adr/0008-what-a-mail-may-say.md).
    //  mail_delivery    one mail to send: a notification's own (kind direct) or a person's daily digest; delivery_key is
    //                   unique, so two instances plan it once; claimed_by/claimed_until_ms: the one instance sending it now;
    //                   planned_ms the moment it was planned for (the day's count of direct mails), next_attempt_ms when
    //                   it is tried (again); state pending/sent/failed/refused/skipped; last_error the server's reply only
    //  mail_preference  a person's choices per kind, quiet hours, maximum per day and digest time (JSON); none = defaults
    private static string V7(SqlDialect d) => $"""
        CREATE TABLE mail_delivery (
            id                {d.Identity},
            delivery_key      TEXT    NOT NULL UNIQUE,
            recipient         TEXT    NOT NULL,
            kind              TEXT    NOT NULL,
            notification_ids  TEXT    NOT NULL,
            state             TEXT    NOT NULL,
            attempts          INTEGER NOT NULL,
            planned_ms        BIGINT  NOT NULL,
            next_attempt_ms   BIGINT  NOT NULL,
            created_ms        BIGINT  NOT NULL,
            last_attempt_ms   BIGINT  NULL,
            sent_ms           BIGINT  NULL,
            address           TEXT    NULL,
            last_error        TEXT    NULL,
            claimed_by        TEXT    NULL,
            claimed_until_ms  BIGINT  NULL
        );
        CREATE INDEX ix_mail_delivery_due ON mail_delivery (state, next_attempt_ms);
        CREATE INDEX ix_mail_delivery_recipient ON mail_delivery (recipient, kind, planned_ms);

        CREATE TABLE mail_preference (
            recipient   TEXT   NOT NULL PRIMARY KEY,
            settings    TEXT   NOT NULL,
            updated_ms  BIGINT NOT NULL
        );
        """;

    // Every version keeps its own place (invariant 4 of issue 13): vread and history judge a version by the section and the
    // Patient compartments it had when written, not by where the resource is now (an item moved out of financien must not
    // show its financien version to someone without financien).
    //  resource_version.section          the section of that version (a deletion keeps the one of the version it deletes)
    //  resource_version_compartment      the Patient compartments of that version, like resource_compartment for the current row
    // Existing versions are filled by the backfill from their stored JSON (a deletion from the version before it).
    private static string V5(SqlDialect _) => """
        ALTER TABLE resource_version ADD COLUMN section TEXT NULL;

        CREATE TABLE resource_version_compartment (
            res_type   TEXT    NOT NULL,
            res_id     TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            patient_id TEXT    NOT NULL,
            PRIMARY KEY (res_type, res_id, version, patient_id)
        );
        """;

    // access_stamp  one row: n grows with every committed write of a type the access policy's facts come from (Consent,
    //               Person, PractitionerRole, Patient, ...), in that write's own transaction, as its last statement (SqlFhirStore.WriteAsync).
    //               ConsentAccessPolicy keeps a caller's facts while n is unchanged: one single-row read per request
    //               instead of the lookups, and every instance on one database sees every other's change (issue 22).
    private static string V8(SqlDialect _) => """
        CREATE TABLE access_stamp (
            id  INTEGER NOT NULL PRIMARY KEY,
            n   BIGINT  NOT NULL
        );
        INSERT INTO access_stamp (id, n) VALUES (1, 0);
        """;
}
