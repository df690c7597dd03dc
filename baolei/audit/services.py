"""Writing, verifying and purging the security log."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from baolei.audit import checkpoints
from baolei.audit.models import Action, SecurityEvent


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    # Behind a proxy, django-axes' ipware setting decides which address is real.
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def entry_digest(event: SecurityEvent, *, key: str | None = None) -> str:
    """HMAC over the entry's content and the previous entry's digest."""
    payload = json.dumps(
        [
            event.seq,
            event.at.astimezone(UTC).isoformat(),
            event.action,
            event.actor_id,
            event.actor,
            event.ip,
            event.success,
            event.target,
            event.detail,
            event.prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    secret = (key or settings.SECRET_KEY).encode()
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()


def record_event(
    action: Action | str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    success: bool = True,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one entry to the security log, chained to the last one."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    actor_name = actor if isinstance(actor, str) else getattr(actor, "username", "")
    actor_pk = None if isinstance(actor, str) else getattr(actor, "pk", None)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = SecurityEvent.objects.select_for_update().order_by("-seq").first()
                event = SecurityEvent(
                    seq=(last.seq + 1) if last else 1,
                    at=timezone.now(),
                    action=action,
                    actor_id=actor_pk,
                    actor=actor_name or "",
                    ip=client_ip(request),
                    success=success,
                    target=target[:200],
                    detail=detail or {},
                    prev_hash=last.hash if last else "",
                )
                event.hash = entry_digest(event)
                event.save(force_insert=True)
                return event
        except IntegrityError:
            continue  # another writer took the same sequence number; read the tail again
    raise RuntimeError("安全日志写入冲突 / security log append contention")


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    #: Where the verified log starts (last purged entry) and ends (newest entry).
    anchor_seq: int = 0
    anchor_hash: str = ""
    head_seq: int = 0
    head_hash: str = ""
    checkpoint: checkpoints.Checkpoint | None = None


class LogBroken(RuntimeError):
    """The security log does not verify; nothing is purged or checkpointed over it."""


def _purged_through(event: SecurityEvent) -> tuple[int, str | None] | None:
    """The last entry a purge entry says it deleted, and that entry's digest."""
    if event.action != Action.PURGE:
        return None
    through = event.detail.get("through") if isinstance(event.detail, dict) else None
    if through is None:  # entries written before purges named their digest: "#1–#N"
        match = re.search(r"#(\d+)$", event.target)
        return (int(match.group(1)), None) if match else None
    return int(through), event.detail.get("through_hash")


def verify_chain(checkpoint: checkpoints.Checkpoint | None = None) -> Verification:
    """Recompute every digest and link, from the log's anchored start to the newest
    checkpoint's entry; report the first entry that does not match.

    The start is anchored by the newest purge entry (which names the last entry it
    deleted, and is itself in the chain): the first entry must follow it. The end is
    anchored by the checkpoint (the newest in the checkpoint file unless one is
    given, e.g. an off-site copy): the entry it names must be there, unchanged.
    """
    if checkpoint is None:
        try:
            checkpoint = checkpoints.latest()
        except checkpoints.CheckpointError as exc:
            return Verification(False, 0, None, str(exc))
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    first: SecurityEvent | None = None
    previous: SecurityEvent | None = None
    anchor: tuple[int, str | None] = (0, "")
    checked = 0
    for event in SecurityEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if previous is None:
            first = event
        else:
            if event.seq != previous.seq + 1:
                return Verification(False, checked, previous.seq + 1, "条目缺失（序号不连续）")
            if event.prev_hash != previous.hash:
                return Verification(False, checked, event.seq, "与上一条目的链接不符")
        if not any(hmac.compare_digest(entry_digest(event, key=k), event.hash) for k in keys):
            return Verification(False, checked, event.seq, "内容与摘要不符（条目被修改）")
        if (
            checkpoint is not None
            and event.seq == checkpoint.head_seq
            and not hmac.compare_digest(event.hash, checkpoint.head_hash)
        ):
            return Verification(False, checked, event.seq, "与检查点记录的摘要不符（条目被替换）")
        anchor = _purged_through(event) or anchor
        previous = event
        checked += 1
    anchor_seq, anchor_hash = anchor
    if first is None or previous is None:
        if checkpoint is not None and checkpoint.head_seq > 0:
            return Verification(
                False,
                0,
                checkpoint.head_seq,
                f"日志为空，但检查点记录到第 {checkpoint.head_seq} 条（条目被删除）",
            )
        return Verification(True, 0, checkpoint=checkpoint)
    if first.seq != anchor_seq + 1:
        return Verification(
            False,
            0,
            anchor_seq + 1,
            f"最早的条目缺失（第 {anchor_seq + 1}–{first.seq - 1} 条未经清理而消失）",
        )
    if anchor_hash is not None and first.prev_hash != anchor_hash:
        return Verification(False, 0, first.seq, "与上一条目（已清理）的链接不符")
    if checkpoint is not None:
        if checkpoint.anchor_seq > anchor_seq:
            return Verification(
                False, checked, anchor_seq + 1, "检查点之后的清理记录缺失（日志与检查点不符）"
            )
        if checkpoint.head_seq > previous.seq:
            return Verification(
                False,
                checked,
                previous.seq + 1,
                f"最新的条目缺失：检查点记录到第 {checkpoint.head_seq} 条，日志只到第 {previous.seq} 条",
            )
    return Verification(
        True,
        checked,
        anchor_seq=anchor_seq,
        anchor_hash=anchor_hash or first.prev_hash,
        head_seq=previous.seq,
        head_hash=previous.hash,
        checkpoint=checkpoint,
    )


def write_checkpoint(*, now: Any = None) -> checkpoints.Checkpoint:
    """Verify the log, then sign where it starts and ends and append that to the file."""
    result = verify_chain()
    if not result.ok:
        raise LogBroken(_broken_message(result))
    checkpoint = checkpoints.sign(
        checkpoints.Checkpoint(
            (now or timezone.now()).astimezone(UTC).replace(microsecond=0),
            result.anchor_seq,
            result.anchor_hash,
            result.head_seq,
            result.head_hash,
        )
    )
    checkpoints.append(checkpoint)
    return checkpoint


def _broken_message(result: Verification) -> str:
    where = f"第 {result.broken_seq} 条，" if result.broken_seq is not None else ""
    return f"安全日志校验未通过：{where}{result.reason}"


def purge_expired(*, actor: Any = None, now: Any = None) -> int:
    """Delete entries older than the retention period; never younger than 180 days.

    The log is verified first (a purge must not cover up a gap), the purge entry
    names the last entry deleted and its digest, and a checkpoint is written."""
    days = max(settings.AUDIT_RETENTION_DAYS, 180)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = SecurityEvent.objects.filter(at__lt=cutoff)
    if not expired.exists():
        return 0
    result = verify_chain()
    if not result.ok:
        raise LogBroken(_broken_message(result))
    with transaction.atomic():
        last = expired.order_by("-seq").values_list("seq", "hash").first()
        if last is None:
            return 0
        last_seq, last_hash = last
        count, _ = SecurityEvent.objects.filter(seq__lte=last_seq).delete()
        event = record_event(
            Action.PURGE,
            actor=actor,
            target=f"#1–#{last_seq}",
            detail={
                "deleted": count,
                "cutoff": cutoff.isoformat(),
                "through": last_seq,
                "through_hash": last_hash,
            },
        )
    checkpoints.append(
        checkpoints.sign(
            checkpoints.Checkpoint(
                timezone.now().astimezone(UTC).replace(microsecond=0),
                last_seq,
                last_hash,
                event.seq,
                event.hash,
            )
        )
    )
    return count
