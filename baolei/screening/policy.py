"""Who may act on a screening round (排查轮次) and on an organisation screened in it.

The organisers — the campaign office (扫黑办) and the organisation department (组织部) —
open rounds and revise the negative list. An organisation's result (研判结果) is
recorded by the clerks and reviewers of an organiser or of the township Party
committee (乡镇党委) whose region holds the village. Joint review (联审) is signed by a
reviewer of each agency kind the round names (纪委监委, 政法委, 公安, 组织部 by default),
for the villages in its region, and by no one else. Putting an organisation on the
list or taking it off (动态增列、移出) is for an organiser's reviewers and leaders whose
region holds the village; closing a round is for those whose region holds the whole
round — a county does not close the city's round. The three administrators do none
of this.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.core import policy
from baolei.core.policy import has, of_kind, rule

ORGANISERS = (AgencyKind.CAMPAIGN_OFFICE, AgencyKind.ORGANISATION)
RECORDERS = (*ORGANISERS, AgencyKind.TOWNSHIP_PARTY)


def region_of(record: Any) -> Any:
    """A screening's village, or a round's region."""
    return record.region


@rules.predicate
def covers(user: Any, record: Any) -> bool:
    """The user's agency's region holds the record's (the village, or the whole round)."""
    agency = user.agency if user.agency_id else None
    return (
        agency is not None
        and record is not None
        and region_of(record).code.startswith(agency.region.prefix)
    )


@rules.predicate
def shares_region(user: Any, round_: Any) -> bool:
    """A round of the user's region, of a region within it, or of one above it (a
    county imports its own villages' results into the city's round)."""
    agency = user.agency if user.agency_id else None
    if agency is None or round_ is None:
        return False
    mine, theirs = agency.region, round_.region
    return bool(theirs.code.startswith(mine.prefix) or mine.code.startswith(theirs.prefix))


@rules.predicate
def named_reviewer(user: Any, screening: Any) -> bool:
    """The user's agency kind is among the round's joint-review agencies."""
    return screening is not None and user.agency_kind in screening.round.required_reviewers


@rules.predicate
def may_cancel_plan(user: Any, screening: Any) -> bool:
    """Taking an organisation off the list cancels its open rectification plan, which
    only those who run the plan's ledger item may do."""
    plan = screening.plan if screening is not None and screening.plan_id else None
    return plan is None or not plan.is_open or policy.allows(user, "ledger.cancel", plan)


editor = has(Role.CLERK, Role.REVIEWER)
manager = has(Role.REVIEWER, Role.LEADER)
organiser = of_kind(*ORGANISERS)


def outside(doing: str, who: str, qualified: Any) -> Any:
    """The role or agency kind first, then the region."""

    def why(user: Any, record: Any) -> str:
        if record is not None and qualified(user, record) and not covers(user, record):
            return f"{region_of(record).name}不在{user.agency.name}的辖区内，本单位不能{doing}。"
        return f"只有{who}可以{doing}。"

    return why


def not_reviewing(user: Any, screening: Any) -> str:
    if screening is None:
        return "只有联审部门的审核员可以参加联审。"
    labels = "、".join(screening.round.reviewer_labels)
    if not named_reviewer(user, screening):
        return f"本轮联审部门为：{labels}，您的单位不在其中，不能参加联审。"
    if not user.has_role(Role.REVIEWER):
        return f"联审意见由{labels}的审核员提交，本人不是审核员。"
    return outside("参加联审", f"{labels}的审核员", rules.always_true)(user, screening)


rule(
    "screening.open",
    editor & organiser,
    "只有扫黑办或组织部的录入员、审核员可以组织排查。",
)
rule(
    "screening.revise_list",
    has(Role.REVIEWER) & organiser,
    "只有扫黑办或组织部的审核员可以修订负面清单。",
)
rule(
    "screening.result",
    editor & of_kind(*RECORDERS) & covers,
    outside(
        "登记排查结果",
        "扫黑办、组织部或乡镇党委的录入员、审核员",
        editor & of_kind(*RECORDERS),
    ),
)
rule(
    "screening.import_results",
    editor & of_kind(*RECORDERS) & shares_region,
    "只有扫黑办、组织部或乡镇党委的录入员、审核员可以导入排查结果。",
)
rule("screening.review", has(Role.REVIEWER) & named_reviewer & covers, not_reviewing)
rule(
    "screening.add",
    manager & organiser & covers,
    outside("动态增列", "扫黑办或组织部的审核员、领导", manager & organiser),
)


def not_removing(user: Any, screening: Any) -> str:
    if (manager & organiser & covers)(user, screening) and not may_cancel_plan(user, screening):
        return (
            f"移出名单将撤销其整顿台账，该台账由{screening.plan.owner_agency.name}负责，"
            "本单位不能撤销，应由责任单位或扫黑办的审核员、领导移出。"
        )
    return outside("移出整顿名单", "扫黑办或组织部的审核员、领导", manager & organiser)(
        user, screening
    )


rule("screening.remove", manager & organiser & covers & may_cancel_plan, not_removing)
rule(
    "screening.close",
    manager & organiser & covers,
    outside("结束本轮排查", "扫黑办或组织部的审核员、领导", manager & organiser),
)
