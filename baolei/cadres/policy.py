"""Who may act on the village cadre roster (村干部队伍).

The roster is kept by the clerks and reviewers of the campaign office (扫黑办), the
organisation department (组织部) and the township Party committees (乡镇党委), each for
the villages in its region: they appoint, propose adjustments, execute approved ones,
enrol cadres in the education upgrade and run training bases, sessions and
attendance. A duty evaluation (履职研判) of a village Party secretary is the Party
organisation's judgment: the organisation department's and the township Party
committee's clerks and reviewers record it, the campaign office does not. An
adjustment is approved only by a reviewer of the organisation department whose
region holds the village (调整须经组织部门审批). Leaders read; the three administrators
and agencies outside the roster (公安, 纪委监委 …) do none of this.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Enrolment,
    EvaluationCampaign,
    TrainingBase,
    TrainingSession,
)
from baolei.core.policy import has, of_kind, rule

#: Who keeps the roster: the campaign office, the organisation department, township Party committees.
KEEPERS = (AgencyKind.CAMPAIGN_OFFICE, AgencyKind.ORGANISATION, AgencyKind.TOWNSHIP_PARTY)
#: Who evaluates a secretary: the Party organisation line.
EVALUATORS = (AgencyKind.ORGANISATION, AgencyKind.TOWNSHIP_PARTY)
KEEPER_WORDS = "扫黑办、组织部或乡镇党委的录入员、审核员"


def region_of(record: Any) -> Any:
    """The village (or the campaign's region) a record belongs to."""
    if isinstance(record, Adjustment):
        return record.appointment.region
    if isinstance(record, Enrolment):
        return record.person.region
    if isinstance(record, TrainingSession):
        return record.base.region
    if isinstance(record, Appointment | TrainingBase | EvaluationCampaign):
        return record.region
    raise TypeError(f"no region for {type(record).__name__}")


@rules.predicate
def covers(user: Any, record: Any) -> bool:
    """The user's agency's region holds the record's village."""
    agency = user.agency if user.agency_id else None
    return (
        agency is not None
        and record is not None
        and region_of(record).code.startswith(agency.region.prefix)
    )


@rules.predicate
def shares_region(user: Any, campaign: Any) -> bool:
    """A campaign of the user's region, of a region within it, or of one above it (a
    county evaluates its own secretaries in the city's campaign)."""
    agency = user.agency if user.agency_id else None
    if agency is None or campaign is None:
        return False
    mine, theirs = agency.region, campaign.region
    return theirs.code.startswith(mine.prefix) or mine.code.startswith(theirs.prefix)


keeper = has(Role.CLERK, Role.REVIEWER) & of_kind(*KEEPERS)
evaluator = has(Role.CLERK, Role.REVIEWER) & of_kind(*EVALUATORS)
approver = has(Role.REVIEWER) & of_kind(AgencyKind.ORGANISATION)


def refusal(doing: str, who: str, qualified: Any, within: Any = covers) -> Any:
    """The role or agency kind first, then the region."""

    def why(user: Any, record: Any) -> str:
        if record is not None and qualified(user) and not within(user, record):
            return f"{region_of(record).name}不在{user.agency.name}的辖区内，本单位不能{doing}。"
        return f"只有{who}可以{doing}。"

    return why


for action, doing in (
    ("appoint", "登记村干部任职"),
    ("open_campaign", "启动履职研判"),
    ("enrol", "登记学历提升"),
    ("open_base", "设立实训基地"),
):
    rule(f"cadres.{action}", keeper, f"只有{KEEPER_WORDS}可以{doing}。")
rule(
    "cadres.evaluate",
    evaluator & shares_region,
    refusal(
        "登记履职研判",
        "组织部或乡镇党委的录入员、审核员（履职研判由党组织作出）",
        evaluator,
        shares_region,
    ),
)
for action, doing in (
    ("propose", "提出调整"),
    ("execute", "执行调整"),
    ("finish", "登记毕业或退学"),
    ("schedule", "安排培训班次"),
    ("attend", "登记参训"),
):
    rule(f"cadres.{action}", keeper & covers, refusal(doing, KEEPER_WORDS, keeper))
rule(
    "cadres.decide",
    approver & covers,
    refusal("审批村干部调整", "组织部的审核员（调整须经组织部门审批）", approver),
)
