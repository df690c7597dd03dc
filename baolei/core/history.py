"""Record history (django-simple-history) shaped for the record page.

Each change reads as a person would write it: the field's Chinese name, the related
record's name instead of its id (loaded in one query per related model for the whole
page, never one per change), choice labels instead of stored codes, （空） for nothing.
Bookkeeping that means nothing to a reader is left out: ids, the edit counter
(``version``), the parts of a generic link, history's own columns and encrypted or
hashed values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, FileField, Model
from django.utils import timezone

KINDS = {"+": "创建", "~": "修改", "-": "删除"}
EMPTY = "（空）"

#: Fields that are bookkeeping, never shown: row ids, the edit counter that guards
#: against lost updates, a generic link's type and id, sign-in counters.
HIDDEN_NAMES = frozenset(
    {"id", "version", "source_type", "source_id", "session_epoch", "password", "last_login"}
)
#: Names ending so hold ciphertext or keyed hashes.
HIDDEN_SUFFIXES = ("_encrypted", "_hash", "_cipher", "_digest")

#: Chinese names for fields declared without one (their verbose_name is the English
#: field name that Django derives).
LABELS = {
    "created_by": "创建人",
    "created_at": "创建时间",
    "recorded_by": "登记人",
    "recorded_at": "登记时间",
    "proposed_by": "提出人",
    "decided_by": "决定人",
    "executed_by": "执行人",
    "scored_by": "评分人",
    "sent_by": "移送人",
    "acknowledged_by": "签收人",
    "granted_by": "授权人",
    "user": "用户",
}

CJK = re.compile(r"[\u4e00-\u9fff]")


def is_hidden(name: str) -> bool:
    return name in HIDDEN_NAMES or name.endswith(HIDDEN_SUFFIXES) or name.startswith("history_")


def label(field: Any, name: str) -> str:
    """The field's Chinese name: its verbose_name, else LABELS, else the related model's."""
    own = str(getattr(field, "verbose_name", "") or "")
    if CJK.search(own):
        return own
    if name in LABELS:
        return LABELS[name]
    related = getattr(field, "related_model", None)
    if related is not None and not isinstance(related, str):
        return str(related._meta.verbose_name)
    return own or name


def readable(field: Any, value: Any) -> Any:
    """A stored choice value shown as its Chinese label (未启动, not not_started)."""
    choices = dict(getattr(field, "flatchoices", None) or ())
    return choices.get(value, value)


def shown(field: Any, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    """One old or new value as text; ``names`` holds the related records' names."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    related = getattr(field, "related_model", None)
    if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
        return names.get((related, value), f"（已删除的记录 {value}）")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return "、".join(str(readable(field, v)) for v in value) or EMPTY
    if isinstance(field, FileField):
        return str(value).rsplit("/", 1)[-1]  # an uploaded file: its file name
    return str(readable(field, value))


def field_of(model: type[Model], name: str) -> Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, Field) else None


def related_names(wanted: dict[Any, set[Any]]) -> dict[tuple[Any, Any], str]:
    """The names (str) of the related records, one query per related model."""
    names: dict[tuple[Any, Any], str] = {}
    for model, keys in wanted.items():
        rows = model._base_manager.select_related().filter(pk__in=keys)
        names |= {(model, row.pk): str(row) for row in rows}
    return names


def raw_changes(record: Model, entries: list[Any]) -> list[list[tuple[Any, str, Any, Any]]]:
    """Per history entry, the changes against the entry before it: (field, name, old, new)."""
    model = type(record)
    per_entry: list[list[tuple[Any, str, Any, Any]]] = []
    for newer, older in zip(entries, [*entries[1:], None], strict=False):
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = field_of(model, change.field)
                if field is None or is_hidden(change.field):
                    continue
                changes.append((field, change.field, change.old, change.new))
        per_entry.append(changes)
    return per_entry


def wanted_records(per_entry: Iterable[list[tuple[Any, str, Any, Any]]]) -> dict[Any, set[Any]]:
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for changes in per_entry:
        for field, _, old, new in changes:
            if field.many_to_one or field.one_to_one:
                wanted[field.related_model] |= {v for v in (old, new) if v is not None}
    return wanted


def history_rows(record: Model, limit: int = 20) -> list[dict[str, Any]]:
    entries = list(record.history.select_related("history_user")[: limit + 1])  # type: ignore[attr-defined]
    per_entry = raw_changes(record, entries)[:limit]
    names = related_names(wanted_records(per_entry))
    return [
        {
            "at": entry.history_date,
            "user": entry.history_user,
            "kind": KINDS.get(entry.history_type, entry.history_type),
            "reason": entry.history_change_reason or "",
            "changes": [
                {
                    "field": label(field, name),
                    "old": shown(field, old, names),
                    "new": shown(field, new, names),
                }
                for field, name, old, new in changes
            ],
        }
        for entry, changes in zip(entries, per_entry, strict=False)
    ]
