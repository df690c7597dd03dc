"""Who may act on a clue (线索) and on a referral (移送).

The handling agency (承办单位) handles its clue: its clerks and reviewers assign it,
verify, conclude, refer it on, merge it and turn it into a case. Once a referral is
signed (签收) the clue has a new handling agency, and the agency that referred it only
follows the referral. The campaign office (扫黑办) whose region covers the clue may
supervise it (督办). Only the handler (承办人) sees who reported it. A referral is
signed and answered by the receiving agency's clerks and reviewers.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.clues.services import CLUE_AGENCIES
from baolei.core.policy import covers, rule


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER)) and user.agency_kind in CLUE_AGENCIES


@rules.predicate
def holds(user: Any, clue: Any) -> bool:
    return user.agency_id is not None and user.agency_id == clue.handling_agency_id


#: The campaign office whose region covers the clue's.
coordinates = covers(AgencyKind.CAMPAIGN_OFFICE, lambda clue: clue.region)


@rules.predicate
def is_handler(user: Any, clue: Any) -> bool:
    return clue.handler_id is not None and clue.handler_id == user.pk


@rules.predicate
def receives(user: Any, referral: Any) -> bool:
    return user.agency_id is not None and user.agency_id == referral.to_agency_id


def not_holding(doing: str) -> Any:
    def why(user: Any, clue: Any) -> str:
        if clue is not None and not holds(user, clue):
            return f"该线索由{clue.handling_agency.name}承办，本单位只能跟踪移送情况，不能{doing}。"
        return f"只有承办单位的录入员或审核员可以{doing}。"

    return why


for action, doing in (
    ("assign", "交办"),
    ("verify", "开始核查"),
    ("conclude", "办结"),
    ("refer", "移送"),
    ("merge", "并案"),
    ("promote", "转为案件"),
):
    rule(f"clues.{action}", is_editor & holds, not_holding(doing))
rule(
    "clues.supervise", is_editor & coordinates, "只有线索所在地扫黑办的录入员或审核员可以督办线索。"
)
rule("clues.reveal", is_handler, "举报人信息只向承办人显示。")
for action, doing in (("acknowledge", "签收"), ("feedback", "反馈")):
    rule(
        f"clues.{action}",
        is_editor & receives,
        f"只有接收单位的录入员或审核员可以{doing}。",
    )
rule(
    "clues.register",
    is_editor,
    "只有政法机关、纪委监委、扫黑办等单位的录入员或审核员可以登记或导入线索。",
)
