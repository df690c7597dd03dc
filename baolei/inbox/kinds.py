"""The kinds of work that wait on a user (待办), declared once.

Each kind names the rows it counts — the very queryset function its list page's filter
calls, so the count and the list cannot disagree — the date column shown as its oldest
(a deadline, or the day the work arrived), the list page with the filter that shows
exactly those rows, the roles it concerns and the policy rule that lets the user act
on each row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from baolei.accounts.models import Role
from baolei.cadres.models import Adjustment
from baolei.cadres.queries import awaiting_adjustments
from baolei.clues.models import Referral
from baolei.clues.queries import awaiting_referrals
from baolei.ledger import queries as ledger
from baolei.ledger.models import LedgerItem, Warning
from baolei.screening.models import Screening
from baolei.screening.queries import awaiting_review
from baolei.vetting.models import Candidate, VettingRun
from baolei.vetting.queries import awaiting_decision, recent_runs


class Day:
    """The day the work is counted on, and what is read once for all kinds on it."""

    def __init__(self, on: date) -> None:
        self.on = on

    @cached_property
    def blue_limit(self) -> date:
        """The last deadline of the blue warning (reads the work calendar)."""
        return ledger.blue_limit(self.on)


Rows = Callable[[Any, Day], QuerySet[Any]]
DOMAIN_ROLES = (Role.CLERK, Role.REVIEWER, Role.LEADER)
EDITORS = (Role.CLERK, Role.REVIEWER)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    rows: Rows
    #: the column whose earliest value is shown; a deadline makes rows before today overdue
    date_field: str
    url_name: str
    query: str
    roles: tuple[str, ...]
    #: the policy rule that lets the user act on each row ("" where the kind is the
    #: user's own items rather than an action: warnings, their own runs)
    rule: str = ""
    deadline: bool = True
    date_label: str = "最早时限"

    @property
    def url(self) -> str:
        return f"{reverse(self.url_name)}?{self.query}"


def warned(colour: str) -> Rows:
    return lambda user, day: ledger.my_warnings(user, day.on, day.blue_limit).filter(warning=colour)


KINDS: list[Kind] = [
    Kind(
        "screening_review",
        "待联审",
        lambda user, day: awaiting_review(Screening.objects.visible_to(user), user),
        "round__ends_on",
        "screening:organisations",
        "todo=review",
        (Role.REVIEWER,),
        "screening.review",
    ),
    Kind(
        "referral_acknowledge",
        "待签收移送线索",
        lambda user, day: awaiting_referrals(
            Referral.objects.visible_to(user), user, "acknowledge"
        ),
        "acknowledge_by",
        "clues:referrals",
        "todo=acknowledge",
        EDITORS,
        "clues.acknowledge",
    ),
    Kind(
        "referral_feedback",
        "待反馈移送线索",
        lambda user, day: awaiting_referrals(Referral.objects.visible_to(user), user, "feedback"),
        "feedback_by",
        "clues:referrals",
        "todo=feedback",
        EDITORS,
        "clues.feedback",
    ),
    Kind(
        "ledger_accept",
        "待验收台账事项",
        lambda user, day: ledger.awaiting_acceptance(LedgerItem.objects.visible_to(user), user),
        "deadline",
        "ledger:list",
        "todo=accept",
        (Role.REVIEWER,),
        "ledger.accept",
    ),
    Kind(
        "ledger_returned",
        "验收退回的事项",
        lambda user, day: ledger.returned_items(LedgerItem.objects.visible_to(user), user),
        "deadline",
        "ledger:list",
        "todo=returned",
        DOMAIN_ROLES,
        "ledger.progress",
    ),
    Kind(
        "adjustment_decide",
        "待审批调整",
        lambda user, day: awaiting_adjustments(Adjustment.objects.visible_to(user), user, "decide"),
        "proposed_on",
        "cadres:adjustments",
        "todo=decide",
        (Role.REVIEWER,),
        "cadres.decide",
        deadline=False,
        date_label="最早提出于",
    ),
    Kind(
        "adjustment_execute",
        "待执行调整",
        lambda user, day: awaiting_adjustments(
            Adjustment.objects.visible_to(user), user, "execute"
        ),
        "decided_on",
        "cadres:adjustments",
        "todo=execute",
        EDITORS,
        "cadres.execute",
        deadline=False,
        date_label="最早批准于",
    ),
    Kind(
        "vetting_decide",
        "待研判疑似命中",
        lambda user, day: awaiting_decision(Candidate.objects.visible_to(user), user),
        "run__finished_at",
        "vetting:candidates",
        "todo=decide",
        (Role.REVIEWER,),
        "vetting.decide",
        deadline=False,
        date_label="最早比对于",
    ),
    Kind(
        "warning_red",
        "红色预警（已逾期）",
        warned(Warning.RED),
        "deadline",
        "ledger:warnings",
        "warning=red",
        DOMAIN_ROLES,
    ),
    Kind(
        "warning_yellow",
        "黄色预警（进展滞后）",
        warned(Warning.YELLOW),
        "deadline",
        "ledger:warnings",
        "warning=yellow",
        DOMAIN_ROLES,
        # yellow is lagging progress, or a long-term item due for review: not lateness
        deadline=False,
    ),
    Kind(
        "warning_blue",
        "蓝色预警（临近期限）",
        warned(Warning.BLUE),
        "deadline",
        "ledger:warnings",
        "warning=blue",
        DOMAIN_ROLES,
    ),
    Kind(
        "vetting_runs",
        "本人发起的比对已结束",
        lambda user, day: recent_runs(VettingRun.objects.visible_to(user), user, day.on),
        "finished_at",
        "vetting:runs",
        "todo=finished",
        EDITORS,
        deadline=False,
        date_label="最早结束于",
    ),
]
