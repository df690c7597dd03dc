"""Who may act on a ledger item (台账事项).

The owning agency (责任单位) runs its item: its clerks and reviewers edit it and report
progress, its reviewers and leaders change the deadline or withdraw it. The campaign
office (扫黑办) whose region covers the item coordinates it and may do the same. The
responsible person named on the item may report progress and upload evidence. Any
other agency's reviewer may accept it (验收) — and only another agency's: an agency
does not accept its own work. Everyone else may read it, within their scope.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.core.policy import covers, rule


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER))


@rules.predicate
def is_manager(user: Any) -> bool:
    return bool(user.has_role(Role.REVIEWER, Role.LEADER))


@rules.predicate
def is_reviewer(user: Any) -> bool:
    return bool(user.has_role(Role.REVIEWER))


@rules.predicate
def of_owner(user: Any, item: Any) -> bool:
    return user.agency_id is not None and user.agency_id == item.owner_agency_id


#: The campaign office whose region covers the item's.
coordinates = covers(AgencyKind.CAMPAIGN_OFFICE, lambda item: item.region)


@rules.predicate
def is_responsible(user: Any, item: Any) -> bool:
    return item.responsible_user_id is not None and item.responsible_user_id == user.pk


runs = of_owner | coordinates


def not_running(doing: str, roles: str) -> Any:
    def why(user: Any, item: Any) -> str:
        if item is not None and not runs(user, item) and not is_responsible(user, item):
            owner = item.owner_agency.name
            if is_reviewer(user):
                return f"该事项由{owner}负责，本单位只能验收，不能{doing}。"
            return f"该事项由{owner}负责，本单位不能{doing}。"
        return f"只有{roles}可以{doing}。"

    return why


def not_accepting(user: Any, item: Any) -> str:
    if item is not None and of_owner(user, item):
        return "责任单位不能验收本单位的整改事项，须由其他单位的审核员验收。"
    return "只有其他单位的审核员可以验收。"


rule("ledger.edit", is_editor & runs, not_running("修改台账", "责任单位或扫黑办的录入员、审核员"))
rule(
    "ledger.progress",
    (is_editor & runs) | is_responsible,
    not_running("报送进展", "责任单位或扫黑办的录入员、审核员，或事项责任人"),
)
rule(
    "ledger.evidence",
    (is_editor & runs) | is_responsible,
    not_running("上传佐证材料", "责任单位或扫黑办的录入员、审核员，或事项责任人"),
)
rule(
    "ledger.review",
    is_editor & runs,
    not_running("登记复查", "责任单位或扫黑办的录入员、审核员"),
)
rule("ledger.accept", is_reviewer & ~of_owner, not_accepting)
for action, doing in (
    ("extend", "延长时限"),
    ("suspend", "暂停计时"),
    ("resume", "恢复计时"),
    ("cancel", "撤销事项"),
):
    rule(
        f"ledger.{action}",
        is_manager & runs,
        not_running(doing, "责任单位或扫黑办的审核员、领导"),
    )
rule("ledger.create", is_editor, "只有录入员或审核员可以登记或导入台账事项。")
