"""Record history (django-simple-history) shaped for the record page."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

KINDS = {"+": "创建", "~": "修改", "-": "删除"}


def readable(field: Any, value: Any) -> Any:
    """A stored choice value shown as its Chinese label (未启动, not not_started)."""
    choices = dict(getattr(field, "flatchoices", None) or ())
    return choices.get(value, value)


def history_rows(record: Model, limit: int = 20) -> list[dict[str, Any]]:
    entries = list(record.history.select_related("history_user")[: limit + 1])  # type: ignore[attr-defined]
    rows: list[dict[str, Any]] = []
    for newer, older in zip(entries, [*entries[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = record._meta.get_field(change.field)
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": readable(field, change.old),
                        "new": readable(field, change.new),
                    }
                )
        rows.append(
            {
                "at": newer.history_date,
                "user": newer.history_user,
                "kind": KINDS.get(newer.history_type, newer.history_type),
                "reason": newer.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows
