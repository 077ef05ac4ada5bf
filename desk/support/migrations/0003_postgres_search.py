# PostgreSQL only: full-text search documents kept by the database, and the GIN index of the tag
# filter. On other databases (SQLite) this migration only records the unmanaged model.

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# The longest text indexed per document (characters); a tsvector may not exceed 1 MB.
MAX_TEXT = 200_000
# A document stops growing past this stored size (bytes): later messages of a conversation that
# long are not indexed, rather than failing to be posted.
MAX_DOCUMENT = 200_000

DOCUMENT_SQL = f"""
CREATE OR REPLACE FUNCTION support_ticketsearch_rebuild(ticket uuid) RETURNS void LANGUAGE sql AS $$
    INSERT INTO support_ticketsearch (ticket_id, created_at, document, public_document)
    SELECT t.id, t.created_at,
           setweight(to_tsvector('english', t.title), 'A')
             || to_tsvector('english', left(coalesce(string_agg(m.message_text, ' ' ORDER BY m.created_at, m.id), ''), {MAX_TEXT})),
           CASE WHEN bool_or(m.is_internal) THEN
             setweight(to_tsvector('english', t.title), 'A')
             || to_tsvector('english', left(coalesce(string_agg(m.message_text, ' ' ORDER BY m.created_at, m.id)
                                                      FILTER (WHERE NOT m.is_internal), ''), {MAX_TEXT}))
           END
    FROM support_ticket t LEFT JOIN support_message m ON m.ticket_id = t.id
    WHERE t.id = ticket
    GROUP BY t.id
    ON CONFLICT (ticket_id) DO UPDATE
       SET created_at = EXCLUDED.created_at, document = EXCLUDED.document, public_document = EXCLUDED.public_document
$$;

CREATE OR REPLACE FUNCTION support_ticketsearch_ticket_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO support_ticketsearch (ticket_id, created_at, document)
    VALUES (NEW.id, NEW.created_at, setweight(to_tsvector('english', NEW.title), 'A'));
    RETURN NULL;
END $$;

-- No foreign key (Django's test flush truncates the tickets alone): the rows go with their ticket.
CREATE OR REPLACE FUNCTION support_ticketsearch_ticket_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM support_ticketsearch WHERE ticket_id = OLD.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION support_ticketsearch_tickets_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE support_ticketsearch;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION support_ticketsearch_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM support_ticketsearch_rebuild(NEW.id);
    RETURN NULL;
END $$;

-- A new message adds its words; an internal note first keeps the document as customers see it.
CREATE OR REPLACE FUNCTION support_ticketsearch_message_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    words tsvector := to_tsvector('english', left(NEW.message_text, {MAX_TEXT}));
BEGIN
    IF NEW.is_internal THEN
        UPDATE support_ticketsearch
           SET public_document = coalesce(public_document, document), document = document || words
         WHERE ticket_id = NEW.ticket_id AND pg_column_size(document) < {MAX_DOCUMENT};
    ELSE
        UPDATE support_ticketsearch
           SET document = document || words, public_document = public_document || words
         WHERE ticket_id = NEW.ticket_id AND pg_column_size(document) < {MAX_DOCUMENT};
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION support_ticketsearch_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM support_ticketsearch_rebuild(t.id)
       FROM support_ticket t WHERE t.id IN (SELECT DISTINCT ticket_id FROM changed);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION support_ticketsearch_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM support_ticketsearch_rebuild(t.id) FROM support_ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id);
    RETURN NULL;
END $$;

CREATE TRIGGER ticketsearch_ticket_inserted AFTER INSERT ON support_ticket
    FOR EACH ROW EXECUTE FUNCTION support_ticketsearch_ticket_inserted();
CREATE TRIGGER ticketsearch_ticket_deleted AFTER DELETE ON support_ticket
    FOR EACH ROW EXECUTE FUNCTION support_ticketsearch_ticket_deleted();
CREATE TRIGGER ticketsearch_tickets_truncated AFTER TRUNCATE ON support_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION support_ticketsearch_tickets_truncated();
CREATE TRIGGER ticketsearch_ticket_changed AFTER UPDATE OF title, created_at ON support_ticket
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION support_ticketsearch_ticket_changed();
CREATE TRIGGER ticketsearch_message_inserted AFTER INSERT ON support_message
    FOR EACH ROW EXECUTE FUNCTION support_ticketsearch_message_inserted();
CREATE TRIGGER ticketsearch_message_changed AFTER UPDATE OF message_text, is_internal, ticket_id ON support_message
    FOR EACH ROW WHEN (OLD.message_text IS DISTINCT FROM NEW.message_text
                       OR OLD.is_internal IS DISTINCT FROM NEW.is_internal
                       OR OLD.ticket_id IS DISTINCT FROM NEW.ticket_id)
    EXECUTE FUNCTION support_ticketsearch_message_changed();
CREATE TRIGGER ticketsearch_messages_deleted AFTER DELETE ON support_message
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION support_ticketsearch_messages_changed();
"""

# Every ticket's documents at once (bench/generate.py uses it too, after a bulk load).
FILL_SQL = f"""
INSERT INTO support_ticketsearch (ticket_id, created_at, document, public_document)
SELECT t.id, t.created_at,
       setweight(to_tsvector('english', t.title), 'A') || to_tsvector('english', left(coalesce(m.whole, ''), {MAX_TEXT})),
       CASE WHEN m.has_notes THEN
         setweight(to_tsvector('english', t.title), 'A') || to_tsvector('english', left(coalesce(m.public, ''), {MAX_TEXT}))
       END
FROM support_ticket t
LEFT JOIN (
    SELECT ticket_id,
           string_agg(message_text, ' ' ORDER BY created_at, id) AS whole,
           string_agg(message_text, ' ' ORDER BY created_at, id) FILTER (WHERE NOT is_internal) AS public,
           bool_or(is_internal) AS has_notes
    FROM support_message GROUP BY ticket_id
) m ON m.ticket_id = t.id;
"""

FORWARD_SQL = f"""
CREATE TABLE support_ticketsearch (
    ticket_id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL,
    document tsvector NOT NULL,
    public_document tsvector
);
{DOCUMENT_SQL}
{FILL_SQL}-- A small pending list: new words reach the main index in small steps, and searches read little
-- of it.
CREATE INDEX ticketsearch_document_idx ON support_ticketsearch USING gin (document) WITH (gin_pending_list_limit = 512);
CREATE INDEX ticketsearch_created_idx ON support_ticketsearch (created_at DESC, ticket_id DESC);
-- `tags @> '["x"]'`, the tag filter (desk.support.lookups).
CREATE INDEX ticket_tags_idx ON support_ticket USING gin (tags jsonb_path_ops);
ANALYZE support_ticketsearch;
"""

BACKWARD_SQL = """
DROP INDEX IF EXISTS ticket_tags_idx;
DROP TRIGGER IF EXISTS ticketsearch_ticket_inserted ON support_ticket;
DROP TRIGGER IF EXISTS ticketsearch_ticket_changed ON support_ticket;
DROP TRIGGER IF EXISTS ticketsearch_ticket_deleted ON support_ticket;
DROP TRIGGER IF EXISTS ticketsearch_tickets_truncated ON support_ticket;
DROP TRIGGER IF EXISTS ticketsearch_message_inserted ON support_message;
DROP TRIGGER IF EXISTS ticketsearch_message_changed ON support_message;
DROP TRIGGER IF EXISTS ticketsearch_messages_deleted ON support_message;
DROP FUNCTION IF EXISTS support_ticketsearch_ticket_inserted();
DROP FUNCTION IF EXISTS support_ticketsearch_ticket_changed();
DROP FUNCTION IF EXISTS support_ticketsearch_ticket_deleted();
DROP FUNCTION IF EXISTS support_ticketsearch_tickets_truncated();
DROP FUNCTION IF EXISTS support_ticketsearch_message_inserted();
DROP FUNCTION IF EXISTS support_ticketsearch_message_changed();
DROP FUNCTION IF EXISTS support_ticketsearch_messages_changed();
DROP FUNCTION IF EXISTS support_ticketsearch_rebuild(uuid);
DROP TABLE IF EXISTS support_ticketsearch;
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD_SQL)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_ticket_queue_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketSearch",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="support.ticket",
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("public_document", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "db_table": "support_ticketsearch",
                "managed": False,
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
