"""Bulk entry of screening results from .xlsx: every row checked, all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from baolei.accounts.models import User
from baolei.ledger.importing import RowError, parse_date, read_sheet
from baolei.screening import services
from baolei.screening.models import Proposal, Screening, ScreeningRound

REQUIRED = ("区划代码", "命中条目", "处理建议")
PROPOSALS = {"建议列入": Proposal.FLAG, "列入": Proposal.FLAG, "不列入": Proposal.CLEAR}


@dataclass
class ResultReport:
    applied: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_results(stream: IO[bytes], *, actor: User, round_: ScreeningRound) -> ResultReport:
    report = ResultReport()
    sheet, report.errors = read_sheet(stream, marker="区划代码", required=REQUIRED)
    if sheet is None:
        return report
    screenings = {
        s.region.code: s
        for s in Screening.objects.visible_to(actor)
        .filter(round=round_)
        .select_related("region", "round")
    }
    items = {i.code: i for i in round_.negative_list.items.all()}
    parsed: list[tuple[int, Screening, str, list[Any], services.ArchiveRecord | None]] = []
    for number, value in sheet.rows:
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
        report.errors += problems
        if not problems and screening is not None and proposal is not None:
            note = text.get("具体情况") or "见档案核查"
            parsed.append((number, screening, proposal, [(items[c], note) for c in codes], archive))
    if report.errors:
        return report
    line = 0
    try:
        with transaction.atomic():
            for number, target, choice, hits, archive in parsed:
                line = number
                services.record_result(
                    actor=actor, screening=target, proposal=choice, hits=hits, archive=archive
                )
                report.applied += 1
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.errors.append(RowError(line, "—", "；".join(messages)))
        report.applied = 0
    return report
