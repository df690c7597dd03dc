"""Where the answers to API writes sent with an ``Idempotency-Key`` are kept (the HTTP
side is ``baolei.core.idempotency``; settings.IDEMPOTENCY_STORE names this module)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from baolei.accounts.models import IdempotentRequest
from baolei.core.idempotency import KEPT, REPLAYED, KeyConflict, Replay


def claim(user: Any, key: str, asked: str) -> IdempotentRequest:
    """Claims the key for a request whose fingerprint is ``asked``, or raises ``Replay``
    with the kept answer, or ``KeyConflict`` when the key was used for another request.

    The claim is inserted inside the transaction that runs the request: a concurrent
    request with the same key waits on the unique (user, key) until the first ends,
    then finds its answer (or, if the first kept nothing, claims the key itself)."""
    IdempotentRequest.objects.filter(
        user=user, key=key, created_at__lt=timezone.now() - KEPT
    ).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=user, key=key, fingerprint=asked)
    except IntegrityError:
        kept = IdempotentRequest.objects.get(user=user, key=key)
    if kept.fingerprint != asked:
        raise KeyConflict
    if kept.status is None:  # only seen by a database that does not wait on the unique key
        raise KeyConflict("使用该幂等键的请求正在处理，请稍后重试。")
    raise Replay(Response(kept.body, status=kept.status, headers={REPLAYED: "true"}))


def keep(claimed: IdempotentRequest, response: Any) -> None:
    """A success is kept for the retries; anything else frees the key."""
    data = getattr(response, "data", None)
    if not 200 <= response.status_code < 300 or (data is None and response.status_code != 204):
        claimed.delete()
        return
    claimed.status = response.status_code
    claimed.body = None if data is None else json.loads(JSONRenderer().render(data))
    claimed.save(update_fields=["status", "body"])


def purge_expired(now: datetime | None = None) -> int:
    """Deletes the answers older than 24 hours; returns how many."""
    cutoff = (now or timezone.now()) - KEPT
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
