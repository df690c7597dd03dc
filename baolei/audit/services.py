"""Writing, verifying and purging the security log."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

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


def verify_chain() -> Verification:
    """Recompute every digest and link; report the first entry that does not match."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    previous: SecurityEvent | None = None
    checked = 0
    for event in SecurityEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if previous is not None:
            if event.seq != previous.seq + 1:
                return Verification(False, checked, previous.seq + 1, "条目缺失（序号不连续）")
            if event.prev_hash != previous.hash:
                return Verification(False, checked, event.seq, "与上一条目的链接不符")
        elif event.seq == 1 and event.prev_hash:
            return Verification(False, checked, event.seq, "首条目不应有上一条目摘要")
        if not any(hmac.compare_digest(entry_digest(event, key=k), event.hash) for k in keys):
            return Verification(False, checked, event.seq, "内容与摘要不符（条目被修改）")
        previous = event
        checked += 1
    return Verification(True, checked)


def purge_expired(*, actor: Any = None, now: Any = None) -> int:
    """Delete entries older than the retention period; never younger than 180 days."""
    days = max(settings.AUDIT_RETENTION_DAYS, 180)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        expired = SecurityEvent.objects.filter(at__lt=cutoff)
        last_seq = expired.order_by("-seq").values_list("seq", flat=True).first()
        if last_seq is None:
            return 0
        count, _ = SecurityEvent.objects.filter(seq__lte=last_seq).delete()
        record_event(
            Action.PURGE,
            actor=actor,
            target=f"#1–#{last_seq}",
            detail={"deleted": count, "cutoff": cutoff.isoformat()},
        )
    return count
