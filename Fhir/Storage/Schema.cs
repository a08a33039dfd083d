namespace Pgo.Fhir.Storage;

/// <summary>
/// The versioned schema. Each migration runs once, in order, inside a transaction, and is recorded
/// in schema_version; a store opened on an older schema upgrades itself on start.
/// Add a migration by appending to <see cref="Migrations"/>; never edit a released one.
/// </summary>
public static class Schema
{
    public sealed record Migration(int Version, string Description, Func<SqlDialect, string> Sql);

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "resources, versions and search index tables", V1),
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
}
