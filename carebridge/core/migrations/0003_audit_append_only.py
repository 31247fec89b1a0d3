"""Database-level guarantee that the audit log is append-only.

The application never updates or deletes audit rows (AuditEvent.save/delete refuse); these
triggers also refuse an UPDATE or DELETE that reaches the table any other way (raw SQL, a bulk
queryset call, a mistaken script). See ADR 0006.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only: rows cannot be changed'); END;""",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only: rows cannot be deleted'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'audit log is append-only: rows cannot be %', lower(TG_OP)
           USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditevent_append_only
       BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();""",
    """CREATE TRIGGER core_auditevent_no_truncate
       BEFORE TRUNCATE ON core_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only();",
]


def _run(statements):
    def apply(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for sql in statements[schema_editor.connection.vendor]:
                cursor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
