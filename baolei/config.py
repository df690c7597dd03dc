"""Environment-driven configuration.

Every setting Baolei reads comes from a ``BAOLEI_*`` environment variable and is
parsed here; a missing or malformed value raises ``ImproperlyConfigured`` with a
one-line Chinese+English message naming the variable.  The variables are
documented in ``.env.example``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "BAOLEI_"


def fail(name: str, zh: str, en: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"配置错误 {PREFIX}{name}：{zh} / Configuration error {PREFIX}{name}: {en}"
    )


def raw(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = raw(name)
    if value is None:
        if required or default is None:
            raise fail(name, "必须设置", "must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise fail(
        name, f"应为 true 或 false，实为 {value!r}", f"expected true or false, got {value!r}"
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise fail(
            name, f"应为整数，实为 {value!r}", f"expected an integer, got {value!r}"
        ) from None
    if number < minimum:
        raise fail(name, f"不得小于 {minimum}", f"must be at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = raw(name) or default
    if value not in choices:
        allowed = "、".join(choices)
        raise fail(name, f"应为 {allowed} 之一，实为 {value!r}", f"expected one of {choices}")
    return value


def data_dir() -> Path:
    path = Path(env_str("DATA_DIR", str(Path.cwd() / "var"))).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(
            "DATA_DIR", f"无法创建目录 {path}（{exc.strerror}）", f"cannot create {path}"
        ) from None
    return path


def development_secret(directory: Path, filename: str, nbytes: int) -> str:
    """A random key kept in the data directory, for development mode only.

    Production mode never calls this: there the key must be configured.
    """
    path = directory / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def secret(name: str, *, production: bool, directory: Path, min_length: int) -> str:
    value = raw(name)
    if value is None:
        if production:
            raise fail(name, "生产模式下必须设置", "must be set in production mode")
        return development_secret(directory, f"dev-{name.lower()}", 48)
    if len(value) < min_length:
        raise fail(
            name, f"长度至少 {min_length} 个字符", f"must be at least {min_length} characters"
        )
    return value
