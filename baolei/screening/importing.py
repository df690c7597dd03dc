"""Bulk entry of screening results from .xlsx: every row checked, all or nothing."""

from __future__ import annotations

import re
from typing import IO, Any

from baolei.accounts.models import User
from baolei.core.importing import Importer, ImportReport, RowError, Sheet, parse_date, run
from baolei.screening import services
from baolei.screening.models import Proposal, Screening, ScreeningRound

REQUIRED = ("区划代码", "命中条目", "处理建议")
PROPOSALS = {"建议列入": Proposal.FLAG, "列入": Proposal.FLAG, "不列入": Proposal.CLEAR}

Result = tuple[Screening, str, list[Any], services.ArchiveRecord | None]


class ResultImport(Importer[Result]):
    """One row per organisation of the round: its negative-list hits and the proposal."""

    title = "排查结果导入"
    marker = "区划代码"
    required = REQUIRED

    def __init__(self, actor: User, round_: ScreeningRound) -> None:
        super().__init__(actor)
        self.round = round_

    def prepare(self, sheet: Sheet) -> None:
        self.screenings = {
            s.region.code: s
            for s in Screening.objects.visible_to(self.actor)
            .filter(round=self.round)
            .select_related("region", "round")
        }
        self.items = {i.code: i for i in self.round.negative_list.items.all()}

    def check(self, number: int, value: dict[str, Any]) -> tuple[Result | None, list[RowError]]:
        screenings, items = self.screenings, self.items
        text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
        problems = []
        screening = screenings.get(text["区划代码"])
        if screening is None:
            problems.append(
                RowError(
                    number,
                    "区划代码",
                    f"“{text['区划代码']}”不在本轮排查对象中或不在您的管理范围内",
                )
            )
        codes = [c.zfill(2) for c in re.split(r"[,，、;；\s]+", text["命中条目"]) if c]
        unknown = [c for c in codes if c not in items]
        if unknown:
            problems.append(
                RowError(number, "命中条目", f"条目 {'、'.join(unknown)} 不在本轮负面清单中")
            )
        proposal = PROPOSALS.get(text["处理建议"])
        if proposal is None:
            problems.append(
                RowError(number, "处理建议", f"“{text['处理建议']}”应为 建议列入 或 不列入")
            )
        elif proposal == Proposal.FLAG and not codes:
            problems.append(RowError(number, "命中条目", "建议列入须至少命中一条负面清单"))
        archive = None
        if text.get("核查人") or text.get("核查发现"):
            checked_on = parse_date(value.get("核查日期"))
            if checked_on is None:
                problems.append(
                    RowError(number, "核查日期", f"“{text.get('核查日期', '')}”不是有效日期")
                )
            else:
                archive = services.ArchiveRecord(
                    text.get("核查人", ""), checked_on, text.get("核查发现", "")
                )
        if problems or screening is None or proposal is None:
            return None, problems
        note = text.get("具体情况") or "见档案核查"
        return (screening, proposal, [(items[c], note) for c in codes], archive), []

    def apply(self, row: Result, report: ImportReport) -> None:
        screening, proposal, hits, archive = row
        services.record_result(
            actor=self.actor, screening=screening, proposal=proposal, hits=hits, archive=archive
        )
        report.updated += 1


def import_results(stream: IO[bytes], *, actor: User, round_: ScreeningRound) -> ImportReport:
    return run(ResultImport(actor, round_), stream)
