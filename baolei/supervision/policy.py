"""Who may act in supervision (督导): the campaign office's clerks and reviewers draw
up plans and register problems; on a plan or a problem only those who see the whole
record (its region lies inside theirs) add to it or reopen it — a county sees a city
plan's parts of its own but does not change the city's plan."""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.core.policy import rule, sees_whole


@rules.predicate
def is_organiser(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER)) and (
        user.agency_kind == AgencyKind.CAMPAIGN_OFFICE
    )


#: The user sees the whole record, not only the parts of its own county.
holds = sees_whole(lambda record: record.region)


def not_whole(doing: str) -> Any:
    def why(user: Any, record: Any) -> str:
        if record is not None and is_organiser(user) and not holds(user, record):
            return f"该记录由{record.region.name}制定，本单位只能查看与本县(区)有关的部分，不能{doing}。"
        return f"只有扫黑办的录入员或审核员可以{doing}。"

    return why


rule("supervision.create_plan", is_organiser, "只有扫黑办的录入员或审核员可以制定督导方案。")
rule(
    "supervision.create_problem",
    is_organiser,
    "只有扫黑办的录入员或审核员可以登记或导入督导问题。",
)
for action, doing in (
    ("assign", "明确联系领导"),
    ("team", "组建督导组"),
    ("round", "安排督导轮次"),
    ("lagging", "确定后进地区"),
):
    rule(f"supervision.{action}", is_organiser & holds, not_whole(doing))
rule("supervision.reopen", is_organiser & holds, not_whole("登记反弹"))
