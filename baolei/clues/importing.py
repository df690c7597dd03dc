"""Clue ledgers from other systems (.xlsx): every row checked, duplicates refused, all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from baolei.accounts.models import Agency, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.clues.models import Category, Clue, ClueCounter, Source
from baolei.clues.services import require_clerk
from baolei.ledger.importing import RowError, parse_date, read_sheet
from baolei.regions.models import Region

REQUIRED = ("线索编号", "受理日期", "来源", "类别", "问题线索摘要", "区划代码")
NUMBER = re.compile(r"^线索〔(\d{4})〕(\d{1,6})号$")
SOURCES = {label: value for value, label in Source.choices}
CATEGORIES = {label: value for value, label in Category.choices} | {"保护伞": Category.UMBRELLA}


@dataclass
class ClueImport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_clues(stream: IO[bytes], *, actor: User, filename: str = "") -> ClueImport:
    report = ClueImport()
    agency = require_clerk(actor)
    sheet, report.errors = read_sheet(stream, marker="线索编号", required=REQUIRED)
    if sheet is None:
        return report
    regions = {r.code: r for r in Region.objects.visible_to(actor)}
    agencies = {a.name: a for a in Agency.objects.visible_to(actor)}
    taken = set(Clue.objects.values_list("number", flat=True))
    seen: dict[str, int] = {}
    parsed: list[Clue] = []
    for line, value in sheet.rows:
        text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
        errors = []
        match = NUMBER.match(text["线索编号"])
        if match is None:
            errors.append(
                RowError(line, "线索编号", f"“{text['线索编号']}”格式应为 线索〔2026〕0001号")
            )
        elif text["线索编号"] in taken:
            errors.append(RowError(line, "线索编号", f"{text['线索编号']} 已存在，不能重复导入"))
        elif text["线索编号"] in seen:
            errors.append(RowError(line, "线索编号", f"与第{seen[text['线索编号']]}行重复"))
        else:
            seen[text["线索编号"]] = line
        received = parse_date(value["受理日期"])
        if received is None:
            errors.append(RowError(line, "受理日期", f"“{text['受理日期']}”不是有效日期"))
        source, category = SOURCES.get(text["来源"]), CATEGORIES.get(text["类别"])
        if source is None:
            errors.append(RowError(line, "来源", f"“{text['来源']}”应为 {'、'.join(SOURCES)} 之一"))
        if category is None:
            errors.append(
                RowError(line, "类别", f"“{text['类别']}”应为 {'、'.join(CATEGORIES)} 之一")
            )
        if not text["问题线索摘要"]:
            errors.append(RowError(line, "问题线索摘要", "摘要为空"))
        region = regions.get(text["区划代码"])
        if region is None:
            errors.append(
                RowError(line, "区划代码", f"区划“{text['区划代码']}”不存在或不在您的管理范围内")
            )
        handler = agencies.get(text.get("承办单位", "")) if text.get("承办单位") else agency
        if handler is None:
            errors.append(
                RowError(line, "承办单位", f"单位“{text['承办单位']}”不存在或不在您的管理范围内")
            )
        report.errors += errors
        if errors or None in (match, received, region, handler, source, category):
            continue
        assert match is not None and received is not None and source and category  # noqa: S101 - narrowed above
        parsed.append(
            Clue(
                year=int(match.group(1)),
                sequence=int(match.group(2)),
                number=text["线索编号"],
                received_on=received,
                source=source,
                category=category,
                summary=text["问题线索摘要"],
                region=region,
                handling_agency=handler,
                created_by=actor,
                deadline=received + timedelta(days=settings.CLUE_DAYS_TO_CONCLUDE),
            )
        )
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for clue in parsed:
                clue.full_clean(exclude=["created_by", "persons", "handler", "case", "merged_into"])
                clue.save()
                counter, _ = ClueCounter.objects.select_for_update().get_or_create(year=clue.year)
                if counter.last < clue.sequence:
                    counter.last = clue.sequence
                    counter.save(update_fields=["last"])
                report.created += 1
            record_event(
                Action.IMPORT,
                actor=actor,
                target=filename or "线索导入",
                detail={"created": report.created},
            )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.errors.append(RowError(0, "—", "；".join(messages)))
        report.created = 0
    return report
