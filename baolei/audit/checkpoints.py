"""Signed checkpoints of the security log, kept outside its table.

A checkpoint states, at a moment, where the log starts (the last purged entry and
its digest) and where it ends (the newest entry and its digest), signed with an
HMAC keyed from ``SECRET_KEY``. Checkpoints are appended, one line each, to
``settings.AUDIT_CHECKPOINT_FILE`` at every purge and whenever
``baolei audit checkpoint`` runs; the same line is printed so that a copy can be
kept off the server (on paper, or on another host). ``baolei audit verify`` starts
from the newest checkpoint: an entry it names that is missing or different shows
entries deleted from the end or replaced, which the chain alone cannot show.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

VERSION = "v1"
LINE = re.compile(
    r"^baolei-audit-checkpoint v1 at=(?P<at>\S+) anchor=(?P<anchor_seq>\d+):(?P<anchor_hash>[0-9a-f]{64}|-)"
    r" head=(?P<head_seq>\d+):(?P<head_hash>[0-9a-f]{64}|-) sig=(?P<sig>[0-9a-f]{64})$"
)


class CheckpointError(ValueError):
    """A checkpoint line that is malformed or whose signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    at: datetime
    anchor_seq: int  # entries up to this one were purged (0: none)
    anchor_hash: str  # digest of that entry ("" when none)
    head_seq: int  # the newest entry at the time (0: empty log)
    head_hash: str
    signature: str = ""

    def body(self) -> str:
        return (
            f"baolei-audit-checkpoint {VERSION} at={self.at.isoformat()}"
            f" anchor={self.anchor_seq}:{self.anchor_hash or '-'}"
            f" head={self.head_seq}:{self.head_hash or '-'}"
        )

    def line(self) -> str:
        return f"{self.body()} sig={self.signature}"


def _signature(body: str, key: str) -> str:
    secret = hashlib.sha256(f"baolei.audit.checkpoint:{key}".encode()).digest()
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()


def sign(checkpoint: Checkpoint) -> Checkpoint:
    return Checkpoint(
        checkpoint.at,
        checkpoint.anchor_seq,
        checkpoint.anchor_hash,
        checkpoint.head_seq,
        checkpoint.head_hash,
        _signature(checkpoint.body(), settings.SECRET_KEY),
    )


def parse(line: str) -> Checkpoint:
    """Read one checkpoint line and check its signature (current or fallback key)."""
    match = LINE.match(line.strip())
    if match is None:
        raise CheckpointError("检查点格式不正确")
    try:
        at = datetime.fromisoformat(match["at"])
    except ValueError:
        raise CheckpointError("检查点时间格式不正确") from None
    checkpoint = Checkpoint(
        at,
        int(match["anchor_seq"]),
        "" if match["anchor_hash"] == "-" else match["anchor_hash"],
        int(match["head_seq"]),
        "" if match["head_hash"] == "-" else match["head_hash"],
        match["sig"],
    )
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(
        hmac.compare_digest(_signature(checkpoint.body(), key), checkpoint.signature)
        for key in keys
    ):
        raise CheckpointError("检查点签名无效（被改动，或密钥不同）")
    return checkpoint


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def latest() -> Checkpoint | None:
    """The newest checkpoint in the file; every line must verify, else CheckpointError."""
    file = path()
    if not file.exists():
        return None
    newest: Checkpoint | None = None
    for number, line in enumerate(file.read_text(encoding="ascii").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoint = parse(line)
        except CheckpointError as exc:
            raise CheckpointError(f"检查点文件 {file} 第 {number} 行：{exc}") from None
        if newest is None or checkpoint.head_seq >= newest.head_seq:
            newest = checkpoint
    return newest


def append(checkpoint: Checkpoint) -> None:
    file = path()
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a", encoding="ascii") as handle:
        handle.write(checkpoint.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    file.chmod(0o600)
