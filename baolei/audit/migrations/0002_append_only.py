"""Make the security log append-only in the database itself.

Updates are refused outright; deletes only for entries older than 180 days, the
minimum retention (网络安全法 第二十一条). The application never updates an entry,
so these triggers only stop writes that bypass it.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_securityevent_no_update BEFORE UPDATE ON audit_securityevent
       BEGIN SELECT RAISE(ABORT, 'security log is append-only'); END""",
    """CREATE TRIGGER audit_securityevent_no_early_delete BEFORE DELETE ON audit_securityevent
       WHEN OLD.at > datetime('now', '-180 days')
       BEGIN SELECT RAISE(ABORT, 'security log entries are kept 180 days'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_securityevent_no_update",
    "DROP TRIGGER IF EXISTS audit_securityevent_no_early_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_securityevent_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION 'security log is append-only';
         END IF;
         IF OLD.at > now() - interval '180 days' THEN
           RAISE EXCEPTION 'security log entries are kept 180 days';
         END IF;
         RETURN OLD;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_securityevent_guard BEFORE UPDATE OR DELETE ON audit_securityevent
       FOR EACH ROW EXECUTE FUNCTION audit_securityevent_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_securityevent_guard ON audit_securityevent",
    "DROP FUNCTION IF EXISTS audit_securityevent_guard()",
]


def statements(schema_editor, forward):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return SQLITE if forward else SQLITE_REVERSE
    if vendor == "postgresql":
        return POSTGRES if forward else POSTGRES_REVERSE
    return []


def install(apps, schema_editor):
    for sql in statements(schema_editor, forward=True):
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for sql in statements(schema_editor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
