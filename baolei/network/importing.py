"""Relations from an office sheet (.xlsx): every row checked, all applied or none.

Persons are named by their record number (人员编号, as the people list exports it) or,
for those with one, by their full ID number; a name alone is ambiguous and refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.utils import timezone

from baolei.accounts.models import User
from baolei.core import policy
from baolei.core.importing import (
    Importer,
    ImportReport,
    RowError,
    Sheet,
    cell_text,
    parse_date,
    run,
)
from baolei.network import services
from baolei.network.models import Kind
from baolei.people.models import Person

REQUIRED = ("人员甲", "人员乙", "关系类型", "信息来源")
KINDS = {label: value for value, label in Kind.choices}


@dataclass
class RelationRow:
    person_a: Person
    person_b: Person
    kind: str
    detail: str
    source: str
    began_on: date | None


class RelationImport(Importer[RelationRow]):
    title = "人员关系导入"
    marker = "关系类型"
    required = REQUIRED
    aliases = {"人员甲": ("人员甲编号",), "人员乙": ("人员乙编号",)}

    def permit(self) -> None:
        policy.require(self.actor, "network.add")

    def prepare(self, sheet: Sheet) -> None:
        self.people = Person.objects.visible_to(self.actor)
        keys = {
            int(text)
            for _, row in sheet.rows
            for text in (cell_text(row.get("人员甲")), cell_text(row.get("人员乙")))
            if text.isdigit() and len(text) < 15
        }
        self.by_pk = {p.pk: p for p in self.people.filter(pk__in=keys).select_related("region")}
        self.seen: dict[tuple[int, int, str], int] = {}

    def person(self, text: str) -> Person | None:
        if text.isdigit() and len(text) < 15:
            return self.by_pk.get(int(text))
        if text:
            return self.people.with_id_number(text).select_related("region").first()
        return None

    def check(self, line: int, value: dict[str, Any]) -> tuple[RelationRow | None, list[RowError]]:
        text = {k: cell_text(v) for k, v in value.items()}
        errors = []
        people = {}
        for column in ("人员甲", "人员乙"):
            found = self.person(text[column])
            if found is None:
                errors.append(
                    RowError(
                        line, column, f"“{text[column]}”不是您管理范围内人员的编号或身份证号码"
                    )
                )
            people[column] = found
        kind = KINDS.get(text["关系类型"])
        if kind is None:
            errors.append(
                RowError(line, "关系类型", f"“{text['关系类型']}”应为 {'、'.join(KINDS)} 之一")
            )
        if not text["信息来源"]:
            errors.append(RowError(line, "信息来源", "请填写信息来源"))
        began_on = None
        if text.get("关系起始日期"):
            began_on = parse_date(value["关系起始日期"])
            if began_on is None:
                errors.append(
                    RowError(line, "关系起始日期", f"“{text['关系起始日期']}”不是有效日期")
                )
            elif began_on > timezone.localdate():
                errors.append(RowError(line, "关系起始日期", "关系起始日期不能晚于今天"))
        a, b = people["人员甲"], people["人员乙"]
        if a is not None and b is not None:
            if a.pk == b.pk:
                errors.append(RowError(line, "人员乙", "不能登记人员与其本人的关系"))
            elif kind is not None:
                pair = (min(a.pk, b.pk), max(a.pk, b.pk), kind)
                if pair in self.seen:
                    errors.append(RowError(line, "人员乙", f"与第{self.seen[pair]}行重复"))
                self.seen.setdefault(pair, line)
        if errors or a is None or b is None or kind is None:
            return None, errors
        row = RelationRow(a, b, kind, text.get("具体关系", ""), text["信息来源"], began_on)
        return row, []

    def apply(self, row: RelationRow, report: ImportReport) -> None:
        services.add_relation(
            actor=self.actor,
            person_a=row.person_a,
            person_b=row.person_b,
            kind=row.kind,
            detail=row.detail,
            source=row.source,
            began_on=row.began_on,
        )
        report.created += 1


def import_relations(stream: IO[bytes], *, actor: User, filename: str = "") -> ImportReport:
    return run(RelationImport(actor), stream, filename=filename)
