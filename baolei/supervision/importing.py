"""Problem lists from .xlsx (问题清单): every row checked, all or nothing."""

from __future__ import annotations

import re
from typing import IO, Any

from baolei.accounts.models import Agency, User
from baolei.core.importing import Importer, ImportReport, RowError, Sheet, parse_date, run
from baolei.ledger.importing import split_measures
from baolei.regions.models import Region
from baolei.supervision import services
from baolei.supervision.models import Problem, ProblemScope, ProblemSource

REQUIRED = ("来源", "类型", "编号", "问题描述", "责任单位", "责任人", "整改时限", "反馈日期")
SOURCES = {c.label: c.value for c in ProblemSource} | {
    "中央督导": "central",
    "省级督导": "provincial",
}
SCOPES = {c.label: c.value for c in ProblemScope} | {"共性": "common", "个性": "individual"}


class ProblemImport(Importer[dict[str, Any]]):
    """One row per problem; a common problem names several units, one item each."""

    title = "问题清单导入"
    marker = "问题描述"
    required = REQUIRED

    def __init__(self, actor: User, region: Region) -> None:
        super().__init__(actor)
        self.region = region

    def prepare(self, sheet: Sheet) -> None:
        self.agencies = {a.name: a for a in Agency.objects.visible_to(self.actor)}
        self.taken = set(Problem.objects.values_list("source", "number"))

    def check(
        self, line: int, value: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        return check_row(line, value, self.agencies, self.taken)

    def apply(self, row: dict[str, Any], report: ImportReport) -> None:
        fields = {k: v for k, v in row.items() if k != "line"}
        services.create_problem(actor=self.actor, region=self.region, **fields)
        report.created += 1


def import_problems(stream: IO[bytes], *, actor: User, region: Region) -> ImportReport:
    return run(ProblemImport(actor, region), stream)


def check_row(
    number: int, value: dict[str, Any], agencies: dict[str, Agency], taken: set[tuple[str, str]]
) -> tuple[dict[str, Any] | None, list[RowError]]:
    text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
    errors = []
    source = SOURCES.get(text["来源"])
    if source is None:
        errors.append(
            RowError(
                number,
                "来源",
                f"“{text['来源']}”无法识别，应为 中央督导组反馈、省级督导反馈 或 自查",
            )
        )
    elif source == ProblemSource.CITY_ROUND:
        errors.append(RowError(number, "来源", "市级督导问题请在督导轮次页面登记"))
    scope = SCOPES.get(text["类型"])
    if scope is None:
        errors.append(RowError(number, "类型", f"“{text['类型']}”应为 共性问题 或 个性问题"))
    if not text["编号"]:
        errors.append(RowError(number, "编号", "编号为空"))
    elif (source, text["编号"]) in taken:
        errors.append(RowError(number, "编号", f"编号 {text['编号']} 已存在"))
    else:
        taken.add((source or "", text["编号"]))
    if not text["问题描述"]:
        errors.append(RowError(number, "问题描述", "问题描述为空"))
    names = [n for n in re.split(r"[、,，;；\n]+", text["责任单位"]) if n.strip()]
    unknown = [n for n in names if n.strip() not in agencies]
    if not names or unknown:
        errors.append(
            RowError(
                number,
                "责任单位",
                f"单位 {'、'.join(unknown) or '（空）'} 不存在或不在您的管理范围内",
            )
        )
    if scope == ProblemScope.INDIVIDUAL and len(names) != 1:
        errors.append(RowError(number, "责任单位", "个性问题须且只能有一个责任单位"))
    if not text["责任人"]:
        errors.append(RowError(number, "责任人", "未填写责任人"))
    deadline, received = parse_date(value["整改时限"]), parse_date(value["反馈日期"])
    if deadline is None:
        errors.append(RowError(number, "整改时限", f"“{text['整改时限']}”不是有效日期"))
    if received is None:
        errors.append(RowError(number, "反馈日期", f"“{text['反馈日期']}”不是有效日期"))
    if deadline and received and deadline < received:
        errors.append(RowError(number, "整改时限", "整改时限不能早于反馈日期"))
    if errors:
        return None, errors
    return {
        "line": number,
        "source": source,
        "scope": scope,
        "number": text["编号"],
        "description": text["问题描述"],
        "measures": split_measures(value.get("整改措施")),
        "deadline": deadline,
        "received_on": received,
        "units": [(agencies[n.strip()], text["责任人"]) for n in names],
    }, []
