namespace Pgo.Api.TeamSpace.Data;

/// <summary>
/// The versioned schema of the team space. Each migration runs once, in order, in a transaction, and is
/// recorded in ts_schema_version. Add a migration by appending; never edit a released one.
/// Times are Unix milliseconds (BIGINT); no booleans (a nullable time says "pinned", "deleted", ...).
/// </summary>
public static class TeamSpaceSchema
{
    public sealed record Migration(int Version, string Description, Func<bool, string> Sql);

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "teams, members, channels, posts, articles, notifications, moderation log, attachments", V1),
        new(2, "full-text search: PostgreSQL dutch tsvector, SQLite FTS5 over Dutch stems", V2),
        new(3, "channel follows; an article's channel; notifications about an article", V3),
        new(4, "thread titles; the coach's mark on confirmed posts; review requests; knelpunten with families and bundles", V4),
        new(5, "the supporter's time (Api/Practice): entries for a family or outside one, corrections with a reason", V5),
        new(6, "referrals and their history (Api/Practice): a family referred to a team, assigned, intake, access asked of the family", V6),
        new(7, "business-case models of programmes (Api/Evidence): adjusted copies of the project's model, one immutable row per version", V7),
    ];

    private static string Identity(bool pg) => pg ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";

    private static string V1(bool pg) => $"""
        CREATE TABLE ts_team (
            id           {Identity(pg)},
            slug         TEXT   NOT NULL UNIQUE,
            name         TEXT   NOT NULL,
            description  TEXT   NOT NULL,
            created_ms   BIGINT NOT NULL
        );

        -- member_key: the fhirUser claim (Person/...) or "sub:" + sub for an account without a Person.
        -- left_ms set: the member left or was removed; access ends at once.
        CREATE TABLE ts_member (
            team_id      BIGINT NOT NULL REFERENCES ts_team (id),
            member_key   TEXT   NOT NULL,
            handle       TEXT   NOT NULL,
            display_name TEXT   NOT NULL,
            role         TEXT   NOT NULL,
            joined_ms    BIGINT NOT NULL,
            left_ms      BIGINT NULL,
            PRIMARY KEY (team_id, member_key)
        );
        CREATE UNIQUE INDEX ux_member_handle ON ts_member (team_id, handle);
        CREATE INDEX ix_member_key ON ts_member (member_key);

        CREATE TABLE ts_channel (
            id           {Identity(pg)},
            team_id      BIGINT NOT NULL REFERENCES ts_team (id),
            slug         TEXT   NOT NULL,
            name         TEXT   NOT NULL,
            description  TEXT   NOT NULL,
            created_ms   BIGINT NOT NULL,
            UNIQUE (team_id, slug)
        );

        -- Guests read only the channels opened to them here.
        CREATE TABLE ts_channel_guest (
            channel_id   BIGINT NOT NULL REFERENCES ts_channel (id),
            member_key   TEXT   NOT NULL,
            PRIMARY KEY (channel_id, member_key)
        );

        -- A thread is its root post (thread_id NULL); replies carry the root's id.
        CREATE TABLE ts_post (
            id               {Identity(pg)},
            team_id          BIGINT NOT NULL REFERENCES ts_team (id),
            channel_id       BIGINT NOT NULL REFERENCES ts_channel (id),
            thread_id        BIGINT NULL REFERENCES ts_post (id),
            author_key       TEXT   NOT NULL,
            author_name      TEXT   NOT NULL,
            body             TEXT   NOT NULL,
            created_ms       BIGINT NOT NULL,
            edited_ms        BIGINT NULL,
            edited_by        TEXT   NULL,
            deleted_ms       BIGINT NULL,
            deleted_by       TEXT   NULL,
            pinned_ms        BIGINT NULL,
            pinned_by        TEXT   NULL,
            confirmed_findings TEXT NULL,
            reply_count      INTEGER NOT NULL DEFAULT 0,
            last_activity_ms BIGINT NOT NULL,
            signal_instantie TEXT   NULL,
            signal_theme     TEXT   NULL,
            signal_by        TEXT   NULL,
            signal_ms        BIGINT NULL
        );
        CREATE INDEX ix_post_channel ON ts_post (channel_id, id);
        CREATE INDEX ix_post_thread ON ts_post (thread_id, id);
        CREATE INDEX ix_post_signal ON ts_post (team_id, signal_instantie, signal_theme);

        CREATE TABLE ts_reaction (
            post_id      BIGINT NOT NULL REFERENCES ts_post (id),
            member_key   TEXT   NOT NULL,
            emoji        TEXT   NOT NULL,
            created_ms   BIGINT NOT NULL,
            PRIMARY KEY (post_id, member_key, emoji)
        );

        CREATE TABLE ts_notification (
            id            {Identity(pg)},
            team_id       BIGINT NOT NULL REFERENCES ts_team (id),
            recipient_key TEXT   NOT NULL,
            kind          TEXT   NOT NULL,
            post_id       BIGINT NOT NULL REFERENCES ts_post (id),
            actor_key     TEXT   NOT NULL,
            actor_name    TEXT   NOT NULL,
            created_ms    BIGINT NOT NULL,
            read_ms       BIGINT NULL
        );
        CREATE INDEX ix_notification_recipient ON ts_notification (recipient_key, id);

        -- Unread marker: the last post id a member has seen in a channel.
        CREATE TABLE ts_channel_read (
            channel_id        BIGINT NOT NULL REFERENCES ts_channel (id),
            member_key        TEXT   NOT NULL,
            last_read_post_id BIGINT NOT NULL,
            PRIMARY KEY (channel_id, member_key)
        );

        -- Every edit or delete of another member's post. No copy of the text: a moderator often removes
        -- identifying data, which must not survive in the log.
        CREATE TABLE ts_moderation (
            id             {Identity(pg)},
            team_id        BIGINT NOT NULL REFERENCES ts_team (id),
            post_id        BIGINT NOT NULL REFERENCES ts_post (id),
            action         TEXT   NOT NULL,
            moderator_key  TEXT   NOT NULL,
            moderator_name TEXT   NOT NULL,
            author_key     TEXT   NOT NULL,
            reason         TEXT   NOT NULL,
            created_ms     BIGINT NOT NULL
        );
        CREATE INDEX ix_moderation_team ON ts_moderation (team_id, id);

        CREATE TABLE ts_article (
            id               {Identity(pg)},
            team_id          BIGINT NOT NULL REFERENCES ts_team (id),
            slug             TEXT   NOT NULL,
            title            TEXT   NOT NULL,
            category         TEXT   NOT NULL,
            version          INTEGER NOT NULL,
            created_by       TEXT   NOT NULL,
            created_ms       BIGINT NOT NULL,
            updated_ms       BIGINT NOT NULL,
            last_reviewed_ms BIGINT NULL,
            last_reviewed_by TEXT   NULL,
            source_post_id   BIGINT NULL REFERENCES ts_post (id),
            UNIQUE (team_id, slug)
        );

        CREATE TABLE ts_article_version (
            article_id   BIGINT NOT NULL REFERENCES ts_article (id),
            version      INTEGER NOT NULL,
            title        TEXT   NOT NULL,
            category     TEXT   NOT NULL,
            body         TEXT   NOT NULL,
            note         TEXT   NOT NULL,
            author_key   TEXT   NOT NULL,
            author_name  TEXT   NOT NULL,
            created_ms   BIGINT NOT NULL,
            confirmed_findings TEXT NULL,
            PRIMARY KEY (article_id, version)
        );

        CREATE TABLE ts_article_tag (
            article_id BIGINT NOT NULL REFERENCES ts_article (id),
            tag        TEXT   NOT NULL,
            PRIMARY KEY (article_id, tag)
        );
        CREATE INDEX ix_article_tag ON ts_article_tag (tag);

        -- Links written as [[slug]] in the current version of an article.
        CREATE TABLE ts_article_link (
            from_id BIGINT NOT NULL REFERENCES ts_article (id),
            to_id   BIGINT NOT NULL REFERENCES ts_article (id),
            PRIMARY KEY (from_id, to_id)
        );
        CREATE INDEX ix_article_link_to ON ts_article_link (to_id);

        -- Attachment metadata; the bytes live behind ITeamAttachmentStore under storage_key.
        CREATE TABLE ts_attachment (
            id           {Identity(pg)},
            team_id      BIGINT NOT NULL REFERENCES ts_team (id),
            channel_id   BIGINT NOT NULL REFERENCES ts_channel (id),
            post_id      BIGINT NULL REFERENCES ts_post (id),
            file_name    TEXT   NOT NULL,
            content_type TEXT   NOT NULL,
            size_bytes   BIGINT NOT NULL,
            sha256       TEXT   NOT NULL,
            storage_key  TEXT   NOT NULL,
            uploaded_by  TEXT   NOT NULL,
            created_ms   BIGINT NOT NULL
        );
        CREATE INDEX ix_attachment_post ON ts_attachment (post_id);
        """;

    // One search document per post and per article: plain text (Markdown stripped), the filters beside it.
    // PostgreSQL indexes it with the 'dutch' configuration; SQLite keeps Dutch stems (DutchText) in FTS5,
    // rowid = ts_search_doc.id, with the filters as tokens in a facets column (see TeamSearch).
    private static string V2(bool pg) => $"""
        CREATE TABLE ts_search_doc (
            id          {Identity(pg)},
            team_id     BIGINT NOT NULL REFERENCES ts_team (id),
            kind        TEXT   NOT NULL,
            ref_id      BIGINT NOT NULL,
            channel_id  BIGINT NULL,
            author_key  TEXT   NOT NULL,
            title       TEXT   NOT NULL,
            body        TEXT   NOT NULL,
            updated_ms  BIGINT NOT NULL,
            UNIQUE (kind, ref_id)
            {(pg ? ", tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('dutch', body), 'B')) STORED" : "")}
        );
        CREATE INDEX ix_search_doc_team ON ts_search_doc (team_id, kind, channel_id);
        CREATE INDEX ix_search_doc_author ON ts_search_doc (team_id, author_key);

        CREATE TABLE ts_search_tag (
            doc_id BIGINT NOT NULL REFERENCES ts_search_doc (id),
            tag    TEXT   NOT NULL,
            PRIMARY KEY (doc_id, tag)
        );
        CREATE INDEX ix_search_tag ON ts_search_tag (tag, doc_id);

        {(pg
            ? "CREATE INDEX ix_search_doc_tsv ON ts_search_doc USING GIN (tsv);"
            : "CREATE VIRTUAL TABLE ts_search_fts USING fts5 (title, body, facets, tokenize = 'unicode61 remove_diacritics 0');")}
        """;

    // Issue 17. ts_channel_follow: who follows a channel (nobody by default); a new kennisbank article in that
    // channel notifies them. ts_article.channel_id: the channel an article belongs to (a promoted post's channel, or
    // the one named when writing it; NULL: the kennisbank only). ts_notification gains article_id, and post_id may be
    // NULL for an article notification: SQLite cannot drop a NOT NULL, so the table is rebuilt there.
    private static string V3(bool pg) => $"""
        CREATE TABLE ts_channel_follow (
            channel_id   BIGINT NOT NULL REFERENCES ts_channel (id),
            member_key   TEXT   NOT NULL,
            created_ms   BIGINT NOT NULL,
            PRIMARY KEY (channel_id, member_key)
        );
        CREATE INDEX ix_channel_follow_member ON ts_channel_follow (member_key);

        ALTER TABLE ts_article ADD COLUMN channel_id BIGINT NULL REFERENCES ts_channel (id);

        {(pg ? V3NotificationPostgres : V3NotificationSqlite)}
        """;

    private const string V3NotificationPostgres = """
        ALTER TABLE ts_notification ALTER COLUMN post_id DROP NOT NULL;
        ALTER TABLE ts_notification ADD COLUMN article_id BIGINT NULL REFERENCES ts_article (id);
        """;

    private const string V3NotificationSqlite = """
        CREATE TABLE ts_notification_v3 (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            team_id       BIGINT NOT NULL REFERENCES ts_team (id),
            recipient_key TEXT   NOT NULL,
            kind          TEXT   NOT NULL,
            post_id       BIGINT NULL REFERENCES ts_post (id),
            actor_key     TEXT   NOT NULL,
            actor_name    TEXT   NOT NULL,
            created_ms    BIGINT NOT NULL,
            read_ms       BIGINT NULL,
            article_id    BIGINT NULL REFERENCES ts_article (id)
        );
        INSERT INTO ts_notification_v3 (id, team_id, recipient_key, kind, post_id, actor_key, actor_name, created_ms, read_ms)
            SELECT id, team_id, recipient_key, kind, post_id, actor_key, actor_name, created_ms, read_ms FROM ts_notification;
        DROP TABLE ts_notification;
        ALTER TABLE ts_notification_v3 RENAME TO ts_notification;
        CREATE INDEX ix_notification_recipient ON ts_notification (recipient_key, id);
        """;

    // Issue 19.
    // ts_post.title: a thread's title (root posts; NULL: the root's first line is shown).
    // ts_post.flag_*: a post saved despite the guard (confirmed_findings) is marked for the coach, who asks for an edit
    //   (edit_requested_*, with a reason) or finds it in order (flag_handled_*). An edit the guard passes clears both.
    // ts_post.signal_families / signal_summary: how many families a knelpunt concerns and a short de-identified text.
    // ts_article.review_requested_*: someone asked the coach or an expert to review; "review" (last_reviewed_*) ends it.
    // ts_signal_bundle: one per (theme, instantie) across all teams, with the coördinator's status, raised_with and
    //   outcome; ts_signal_history keeps each change. Earlier free-text themes become "overig", their text the summary.
    private static string V4(bool pg) => $"""
        ALTER TABLE ts_post ADD COLUMN title TEXT NULL;
        ALTER TABLE ts_post ADD COLUMN edit_requested_ms BIGINT NULL;
        ALTER TABLE ts_post ADD COLUMN edit_requested_by TEXT NULL;
        ALTER TABLE ts_post ADD COLUMN edit_request_reason TEXT NULL;
        ALTER TABLE ts_post ADD COLUMN flag_handled_ms BIGINT NULL;
        ALTER TABLE ts_post ADD COLUMN flag_handled_by TEXT NULL;
        ALTER TABLE ts_post ADD COLUMN signal_families INTEGER NULL;
        ALTER TABLE ts_post ADD COLUMN signal_summary TEXT NULL;
        CREATE INDEX ix_post_signal_bundle ON ts_post (signal_theme, signal_instantie);

        ALTER TABLE ts_article ADD COLUMN review_requested_ms BIGINT NULL;
        ALTER TABLE ts_article ADD COLUMN review_requested_by TEXT NULL;
        ALTER TABLE ts_article ADD COLUMN review_request_note TEXT NULL;

        CREATE TABLE ts_signal_bundle (
            id           {Identity(pg)},
            theme        TEXT   NOT NULL,
            instantie    TEXT   NOT NULL,
            status       TEXT   NOT NULL,
            raised_with  TEXT   NULL,
            outcome      TEXT   NULL,
            created_ms   BIGINT NOT NULL,
            status_ms    BIGINT NULL,
            status_by    TEXT   NULL,
            UNIQUE (theme, instantie)
        );
        CREATE TABLE ts_signal_history (
            id           {Identity(pg)},
            bundle_id    BIGINT NOT NULL REFERENCES ts_signal_bundle (id),
            status       TEXT   NOT NULL,
            raised_with  TEXT   NULL,
            outcome      TEXT   NULL,
            changed_by   TEXT   NOT NULL,
            changed_ms   BIGINT NOT NULL
        );
        CREATE INDEX ix_signal_history_bundle ON ts_signal_history (bundle_id, id);

        UPDATE ts_post SET signal_summary = signal_theme, signal_theme = 'overig', signal_families = 1 WHERE signal_theme IS NOT NULL;
        INSERT INTO ts_signal_bundle (theme, instantie, status, created_ms)
            SELECT signal_theme, signal_instantie, 'nieuw', MIN(signal_ms) FROM ts_post
            WHERE signal_theme IS NOT NULL GROUP BY signal_theme, signal_instantie;
        """;

    // Issue 20: the supporter's time is their practice, not the dossier (docs/adr/0009-supporter-time.md; Api/Practice).
    // author_key: the fhirUser claim (TeamCaller.Key), the key ts_member knows, so a coach finds their team's time.
    // author_ref: the Practitioner the supporter acts as in a dossier (shown to the family as before), NULL when none.
    // patient_id / family_name: the family and its name as shown then; both NULL for time outside a family.
    // entry_date: yyyy-MM-dd (Dutch date). corrects_id / reason: a correction of another entry (same author, same family,
    // same date); its minutes may be negative. source: where a moved or demo entry came from ("Basic/<id>", "demo:<id>"),
    // unique so that moving or loading again adds nothing. Never deleted: no column marks a deletion.
    private static string V5(bool pg) => $"""
        CREATE TABLE pr_time_entry (
            id           {Identity(pg)},
            author_key   TEXT    NOT NULL,
            author_name  TEXT    NOT NULL,
            author_ref   TEXT    NULL,
            patient_id   TEXT    NULL,
            family_name  TEXT    NULL,
            activity     TEXT    NOT NULL,
            entry_date   TEXT    NOT NULL,
            minutes      INTEGER NOT NULL,
            note         TEXT    NULL,
            corrects_id  BIGINT  NULL REFERENCES pr_time_entry (id),
            reason       TEXT    NULL,
            source       TEXT    NULL UNIQUE,
            created_ms   BIGINT  NOT NULL,
            updated_ms   BIGINT  NULL
        );
        CREATE INDEX ix_time_author ON pr_time_entry (author_key, entry_date);
        CREATE INDEX ix_time_patient ON pr_time_entry (patient_id, entry_date);
        CREATE INDEX ix_time_corrects ON pr_time_entry (corrects_id);

        -- One-time work of the practice that is done (name 'time-move': the FHIR time registrations were moved).
        CREATE TABLE pr_done (
            name         TEXT   PRIMARY KEY,
            done_ms      BIGINT NOT NULL
        );
        """;

    // Issue 20: a referral exists before any dossier, so it is the practice's, not FHIR (docs/adr/0010-referrals.md).
    // team_id: the team it goes to (ts_team). referrer_key / assigned_key: TeamCaller.Key of the referrer and the assigned
    // supporter; assigned_ref: the Practitioner the supporter acts as (the actor of the grant the family may give).
    // client_birth_year or client_age: one of them. consent_how: mondeling / schriftelijk / per-email; consent_date yyyy-MM-dd.
    // status: nieuw, toegewezen, intake, in-begeleiding, niet-nu, gesloten. patient_id: the dossier the family gave access
    // to. Dates of the steps in Unix ms for the waiting times. Never deleted: closed with close_reason.
    private static string V6(bool pg) => $"""
        CREATE TABLE pr_referral (
            id                 {Identity(pg)},
            team_id            BIGINT  NOT NULL REFERENCES ts_team (id),
            referrer_key       TEXT    NOT NULL,
            referrer_name      TEXT    NOT NULL,
            referrer_role      TEXT    NOT NULL,
            client_first_name  TEXT    NOT NULL,
            client_birth_year  INTEGER NULL,
            parent_name        TEXT    NOT NULL,
            parent_email       TEXT    NULL,
            parent_phone       TEXT    NULL,
            reason             TEXT    NOT NULL,
            consent_how        TEXT    NOT NULL,
            consent_date       TEXT    NOT NULL,
            status             TEXT    NOT NULL,
            assigned_key       TEXT    NULL,
            assigned_name      TEXT    NULL,
            assigned_ref       TEXT    NULL,
            intake_date        TEXT    NULL,
            intake_note        TEXT    NULL,
            patient_id         TEXT    NULL,
            close_reason       TEXT    NULL,
            created_ms         BIGINT  NOT NULL,
            assigned_ms        BIGINT  NULL,
            intake_ms          BIGINT  NULL,
            access_ms          BIGINT  NULL,
            closed_ms          BIGINT  NULL
        );
        CREATE INDEX ix_referral_team ON pr_referral (team_id, created_ms);
        CREATE INDEX ix_referral_referrer ON pr_referral (referrer_key);
        CREATE INDEX ix_referral_assigned ON pr_referral (assigned_key);
        CREATE INDEX ix_referral_parent ON pr_referral (parent_email);

        -- The history of a referral: aangemaakt, toegewezen, intake, toegang-gegeven, niet-nu, gesloten.
        CREATE TABLE pr_referral_event (
            id           {Identity(pg)},
            referral_id  BIGINT NOT NULL REFERENCES pr_referral (id),
            kind         TEXT   NOT NULL,
            actor_key    TEXT   NOT NULL,
            actor_name   TEXT   NOT NULL,
            detail       TEXT   NULL,
            at_ms        BIGINT NOT NULL
        );
        CREATE INDEX ix_referral_event ON pr_referral_event (referral_id, at_ms);
        """;

    // Issue 21: a programme's adjusted copy of the project's business-case model (docs/adr/0011-social-business-case.md).
    // Project data, not a dossier: no family in it. (id, version) is the key; a row is never changed or deleted, a change
    // is a new version. json: the whole model as BusinessCaseModels.Serialize writes it (validated before it is stored).
    // created_by_key: TeamCaller.Key of the coordinator who added it; created_by: the name shown.
    private static string V7(bool _) => """
        CREATE TABLE ev_model (
            id              TEXT    NOT NULL,
            version         INTEGER NOT NULL,
            title           TEXT    NOT NULL,
            json            TEXT    NOT NULL,
            created_by_key  TEXT    NOT NULL,
            created_by      TEXT    NOT NULL,
            created_ms      BIGINT  NOT NULL,
            PRIMARY KEY (id, version)
        );
        """;
}
