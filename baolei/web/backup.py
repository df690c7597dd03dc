"""备份与恢复: a consistent snapshot of the database taken while the system runs (the
SQLite online backup API, or pg_dump for PostgreSQL), the uploaded files under
MEDIA_ROOT, and a manifest with every file's SHA-256 and the schema version (the
latest applied migration of every app).  The field-encryption key is never written
to a backup; the manifest holds only a keyed fingerprint, so a restore under another
key is refused before anything is written."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore refused, with a Chinese message for the operator."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprint() -> str:
    """Tells whether a backup was taken under the same field-encryption key, without
    the key itself."""
    key = str(settings.FIELD_ENCRYPTION_KEY).encode()
    return hmac.new(key, b"baolei-backup-key-check", hashlib.sha256).hexdigest()


def applied_schema() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _pg_env(database: dict[str, Any] | None = None) -> tuple[list[str], dict[str, str]]:
    """pg_dump's and pg_restore's connection, the one Django opens: without a host
    both use libpq's default (the local socket), which may be trusted where
    127.0.0.1 asks for a password; the SSL mode goes along."""
    s = database or connection.settings_dict
    args = ["-h", s["HOST"]] if s["HOST"] else []
    if s["PORT"]:
        args += ["-p", str(s["PORT"])]
    if s["USER"]:
        args += ["-U", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    if (s.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = s["OPTIONS"]["sslmode"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 执行失败：{done.stderr.strip()[:500]}")


def backup(target: Path) -> dict[str, Any]:
    """Writes a backup into ``target`` (absent or empty); returns its manifest."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"备份目录 {target} 不是空目录，请指定一个新的目录。")
    target.mkdir(parents=True, exist_ok=True)
    schema = applied_schema()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(destination)  # a consistent online snapshot
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        _run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                *args,
                "-f",
                str(target / PG_FILE),
                connection.settings_dict["NAME"],
            ],
            env,
        )
    else:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库。")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / MEDIA)
    files = {
        path.relative_to(target).as_posix(): sha256(path)
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "schema": schema,
        "key_fingerprint": key_fingerprint(),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def check(source: Path) -> dict[str, Any]:
    """Reads and checks a backup; raises BackupError naming what is wrong."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} 中没有备份清单 {MANIFEST}，不是完整的备份。") from None
    except (ValueError, OSError) as exc:
        raise BackupError(f"备份清单无法读取（{exc}），备份已损坏。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份清单格式不符，无法恢复。")
    files = manifest.get("files") or {}
    for name, digest in files.items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"备份文件缺失：{name}，备份已损坏。")
        if sha256(path) != digest:
            raise BackupError(f"备份文件校验失败：{name}（SHA-256 不符），备份已损坏。")
    extra = [
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.relative_to(source).as_posix() not in files
    ]
    if extra:
        raise BackupError(f"备份目录中有清单之外的文件：{extra[0]}，备份可能被改动。")
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('vendor')} 数据库，当前配置的是 {connection.vendor}，无法恢复。"
        )
    known = known_migrations()
    unknown = [f"{a}.{n}" for a, n in (manifest.get("schema") or {}).items() if (a, n) not in known]
    if unknown:
        raise BackupError(
            f"备份的数据库结构比本程序新（未知的迁移：{'、'.join(unknown[:5])}），请先升级程序。"
        )
    if manifest.get("key_fingerprint") != key_fingerprint():
        raise BackupError(
            "字段加密密钥与备份时不同（BAOLEI_FIELD_ENCRYPTION_KEY），恢复后身份证号码将无法解密；"
            "请使用备份时的密钥。"
        )
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(source: Path, *, force: bool = False) -> dict[str, Any]:
    """Restores a checked backup over an empty database (or any, with ``force``)."""
    manifest = check(source)
    if not database_is_empty() and not force:
        raise BackupError("当前数据库不是空的，恢复会覆盖其中的数据；确认要覆盖时请加 --force。")
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        connection.close()
        backup_db = sqlite3.connect(source / SQLITE_FILE)
        destination = sqlite3.connect(name)
        try:
            backup_db.backup(destination)
        finally:
            destination.close()
            backup_db.close()
    else:
        args, env = _pg_env()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "-d",
                connection.settings_dict["NAME"],
                str(source / PG_FILE),
            ],
            env,
        )
    media = source / MEDIA
    if media.is_dir():
        shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    return manifest
