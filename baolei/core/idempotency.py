"""Safe retries of API writes: the ``Idempotency-Key`` header.

An agency's system that sends a write and loses the answer (a timeout, a dropped
connection) sends it again with the same key. The first request with a key claims it
(a row unique per user and key, inserted in the transaction that runs the whole
request, so a second request with the key waits for the first and then sees its
answer); a successful answer is kept for 24 hours and replayed, marked
``Idempotent-Replayed: true``, to a retry of the same request. The same key on another
request (method, path or body) is 409. A refused or invalid request keeps nothing: it
changed nothing, and may be corrected and sent again with the same key.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http.request import RawPostDataException
from rest_framework import exceptions, status
from rest_framework.response import Response

HEADER = "Idempotency-Key"
META = "HTTP_IDEMPOTENCY_KEY"
REPLAYED = "Idempotent-Replayed"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_LENGTH = 255
#: How long an answer is kept for a retry.
KEPT = timedelta(hours=24)
#: 1 to 255 visible ASCII characters (a UUID serves).
PATTERN = r"^[!-~]{1,255}$"
DESCRIPTION = (
    "幂等键（可选）：1 至 255 个可见 ASCII 字符，建议使用 UUID。"
    "同一用户以同一幂等键重发同一请求（方法、地址、内容均相同）时，返回首次成功的结果，"
    "响应头带 Idempotent-Replayed: true，不会重复写入；同一幂等键用于不同请求时返回 409。"
    "成功的结果保留 24 小时；被拒绝或校验未通过的请求不保留，修正后可用同一幂等键重发。"
)


class KeyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "该幂等键已用于另一请求（方法、地址或内容不同），请换用新的幂等键。"
    default_code = "idempotency_key_reused"


class Replay(Exception):
    """The kept answer to an earlier request with the key (raised to skip the handler)."""

    def __init__(self, response: Response) -> None:
        super().__init__("replay")
        self.response = response


def key_of(request: Any) -> str | None:
    """The request's key, None without one; a malformed key is a 400."""
    raw = request.META.get(META)
    if raw is None:
        return None
    key = str(raw)
    if not key.isascii():
        raise exceptions.ValidationError({HEADER: "幂等键只能包含 ASCII 字符。"})
    if len(key) > MAX_LENGTH:
        raise exceptions.ValidationError({HEADER: f"幂等键最长 {MAX_LENGTH} 个字符。"})
    if not key or not all("!" <= c <= "~" for c in key):
        raise exceptions.ValidationError({HEADER: "幂等键须为 1 至 255 个可见字符，不含空格。"})
    return key


def fingerprint(request: Any) -> str:
    """A digest of what the request asks: method, path with query, and body."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    content_type = str(request.META.get("CONTENT_TYPE", ""))
    body: bytes | None = None
    if not content_type.startswith("multipart/"):
        try:
            body = request._request.body
        except RawPostDataException:
            body = None
    if body is not None:
        digest.update(body)
        return digest.hexdigest()
    # An upload: its fields and its files' contents (the raw body holds a random boundary).
    for name, value in sorted(request.POST.lists()):
        digest.update(json.dumps([name, value], ensure_ascii=False).encode())
    for name, upload in sorted(request.FILES.items()):
        digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


def store() -> Any:
    """The module that keeps the answers (``settings.IDEMPOTENCY_STORE``): the toolkit
    sits below the app that holds the rows, as with the security log."""
    return import_module(settings.IDEMPOTENCY_STORE)


KEY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": DESCRIPTION,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, "pattern": PATTERN},
    "example": "5f0c9a1e-2b7d-4c1a-9e3f-7a2d1c0b9e84",
}
CONFLICT_RESPONSE = {
    "description": "幂等键已用于另一请求，或记录已被他人修改",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def document_header(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every write of /api/v1/ takes the header."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method.upper() not in WRITES:
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append(dict(KEY_PARAMETER))
            operation.setdefault("responses", {}).setdefault("409", CONFLICT_RESPONSE)
    return result
