"""Database triggers that keep the security log append-only.

Updates are refused outright; deletes only for entries older than 180 days, the
minimum retention (网络安全法 第二十一条). On SQLite an insert that would take the
place of an existing entry (``INSERT OR REPLACE``, which deletes without firing
delete triggers) is refused too; on PostgreSQL ``TRUNCATE`` is refused while the
table holds entries younger than 180 days. The application never updates an entry,
so these triggers only stop writes that bypass it; the HMAC chain and the signed
checkpoints (baolei.audit.checkpoints) then show what a database administrator
changed with the triggers removed, and :func:`missing` names a trigger that is gone.
"""

from typing import Any

#: The triggers each database must have; `audit verify` and `check --deploy` compare.
EXPECTED = {
    "sqlite": (
        "audit_securityevent_no_update",
        "audit_securityevent_no_early_delete",
        "audit_securityevent_no_replace",
    ),
    "postgresql": ("audit_securityevent_guard", "audit_securityevent_no_truncate"),
}

SQLITE = [
    """CREATE TRIGGER audit_securityevent_no_update BEFORE UPDATE ON audit_securityevent
       BEGIN SELECT RAISE(ABORT, 'security log is append-only'); END""",
    """CREATE TRIGGER audit_securityevent_no_early_delete BEFORE DELETE ON audit_securityevent
       WHEN OLD.at > datetime('now', '-180 days')
       BEGIN SELECT RAISE(ABORT, 'security log entries are kept 180 days'); END""",
    """CREATE TRIGGER audit_securityevent_no_replace BEFORE INSERT ON audit_securityevent
       WHEN EXISTS (SELECT 1 FROM audit_securityevent WHERE id = NEW.id OR seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, 'security log entries are never replaced'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_securityevent_no_update",
    "DROP TRIGGER IF EXISTS audit_securityevent_no_early_delete",
    "DROP TRIGGER IF EXISTS audit_securityevent_no_replace",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_securityevent_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN
           IF EXISTS (SELECT 1 FROM audit_securityevent WHERE at > now() - interval '180 days') THEN
             RAISE EXCEPTION 'security log entries are kept 180 days';
           END IF;
           RETURN NULL;
         END IF;
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
    """CREATE TRIGGER audit_securityevent_no_truncate BEFORE TRUNCATE ON audit_securityevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_securityevent_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_securityevent_no_truncate ON audit_securityevent",
    "DROP TRIGGER IF EXISTS audit_securityevent_guard ON audit_securityevent",
    "DROP FUNCTION IF EXISTS audit_securityevent_guard()",
]


def statements(connection: Any, forward: bool) -> list[str]:
    vendor = connection.vendor
    if vendor == "sqlite":
        return SQLITE if forward else SQLITE_REVERSE
    if vendor == "postgresql":
        return POSTGRES if forward else POSTGRES_REVERSE
    return []


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection, forward=True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection, forward=False):
            cursor.execute(sql)


def present(connection: Any) -> set[str]:
    """Names of the security-log triggers the database has now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["audit_securityevent"],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_securityevent'::regclass"
                " AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}


def missing(connection: Any) -> list[str]:
    """Expected triggers that are absent or disabled (none before the table exists)."""
    if "audit_securityevent" not in connection.introspection.table_names():
        return []
    have = present(connection)
    return [name for name in EXPECTED.get(connection.vendor, ()) if name not in have]
