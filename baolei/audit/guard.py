"""Database triggers that keep the security log append-only.

Updates are refused outright; deletes only for entries older than 180 days, the
minimum retention (网络安全法 第二十一条). The application never updates an entry,
so these triggers only stop writes that bypass it; the HMAC chain then shows
what a database administrator changed with the triggers removed.
"""

from typing import Any

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
