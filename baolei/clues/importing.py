"""Clue ledgers from other systems (.xlsx): every row checked, duplicates refused, all or nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import IO, Any

from django.conf import settings

from baolei.accounts.models import Agency, User
from baolei.clues.models import Category, Clue, ClueCounter, Source
from baolei.clues.services import require_clerk
from baolei.core.importing import Importer, ImportReport, RowError, Sheet, parse_date, run
from baolei.regions.models import Region

REQUIRED = ("线索编号", "受理日期", "来源", "类别", "问题线索摘要", "区划代码")
NUMBER = re.compile(r"^线索〔(\d{4})〕(\d{1,6})号$")
SOURCES = {label: value for value, label in Source.choices}
CATEGORIES = {label: value for value, label in Category.choices} | {"保护伞": Category.UMBRELLA}


class ClueImport(Importer[Clue]):
    """Numbered clues from another system; numbers continue after the highest imported."""

    title = "线索导入"
    marker = "线索编号"
    required = REQUIRED

    def permit(self) -> None:
        self.agency = require_clerk(self.actor)

    def prepare(self, sheet: Sheet) -> None:
        self.regions = {r.code: r for r in Region.objects.visible_to(self.actor)}
        self.agencies = {a.name: a for a in Agency.objects.visible_to(self.actor)}
        self.taken = set(Clue.objects.values_list("number", flat=True))
        self.seen: dict[str, int] = {}

    def check(self, line: int, value: dict[str, Any]) -> tuple[Clue | None, list[RowError]]:
        text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
        errors = []
        match = NUMBER.match(text["线索编号"])
        if match is None:
            errors.append(
                RowError(line, "线索编号", f"“{text['线索编号']}”格式应为 线索〔2026〕0001号")
            )
        elif text["线索编号"] in self.taken:
            errors.append(RowError(line, "线索编号", f"{text['线索编号']} 已存在，不能重复导入"))
        elif text["线索编号"] in self.seen:
            errors.append(RowError(line, "线索编号", f"与第{self.seen[text['线索编号']]}行重复"))
        else:
            self.seen[text["线索编号"]] = line
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
        region = self.regions.get(text["区划代码"])
        if region is None:
            errors.append(
                RowError(line, "区划代码", f"区划“{text['区划代码']}”不存在或不在您的管理范围内")
            )
        handler = (
            self.agencies.get(text.get("承办单位", "")) if text.get("承办单位") else self.agency
        )
        if handler is None:
            errors.append(
                RowError(line, "承办单位", f"单位“{text['承办单位']}”不存在或不在您的管理范围内")
            )
        if errors or None in (match, received, region, handler, source, category):
            return None, errors
        assert match is not None and received is not None and source and category  # noqa: S101 - narrowed above
        return (
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
                created_by=self.actor,
                deadline=received + timedelta(days=settings.CLUE_DAYS_TO_CONCLUDE),
            )
        ), []

    def apply(self, clue: Clue, report: ImportReport) -> None:
        clue.full_clean(exclude=["created_by", "persons", "handler", "case", "merged_into"])
        clue.save()
        counter, _ = ClueCounter.objects.select_for_update().get_or_create(year=clue.year)
        if counter.last < clue.sequence:
            counter.last = clue.sequence
            counter.save(update_fields=["last"])
        report.created += 1


def import_clues(stream: IO[bytes], *, actor: User, filename: str = "") -> ImportReport:
    return run(ClueImport(actor), stream, filename=filename)
