"""Who may act on a case (案件).

A case is led by one police agency (主办公安机关): its clerks and reviewers — and those
of the police above it, which direct it — record the police stages (立案侦查,
移送审查起诉), the suspects, the seizures and the consultations. A police agency beside
or below the leading one (a county bureau on a case the city bureau leads) only reads
the case. The procuratorate
(检察院) and the court (法院) whose region covers the case record their own stages
(批准逮捕, 提起公诉; 一审, 二审) and work on the case beside the police; early
intervention (提前介入) is the procuratorate's. The campaign office (扫黑办) whose
region covers the case coordinates it: it may record any stage and alone records
joint supervision (联合督办). Leaders read; the three administrators and agencies
outside the case's work (纪委监委, 组织部 …) do no case work.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.cases.models import Stage
from baolei.core.policy import of_kind, rule

#: Which agency records which stage (the campaign office may record any, as coordinator).
STAGE_AGENCIES = {
    Stage.FILED: AgencyKind.POLICE,
    Stage.ARREST_APPROVED: AgencyKind.PROCURATORATE,
    Stage.TRANSFERRED: AgencyKind.POLICE,
    Stage.PROSECUTED: AgencyKind.PROCURATORATE,
    Stage.FIRST_INSTANCE: AgencyKind.COURT,
    Stage.SECOND_INSTANCE: AgencyKind.COURT,
}
#: The agencies that work on cases.
CASE_AGENCIES = (
    AgencyKind.POLICE,
    AgencyKind.PROCURATORATE,
    AgencyKind.COURT,
    AgencyKind.CAMPAIGN_OFFICE,
)
CASE_WORKERS = "公安、检察、法院或扫黑办的录入员、审核员"


@rules.predicate
def is_case_clerk(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER)) and user.agency_kind in CASE_AGENCIES


@rules.predicate
def covers(user: Any, case: Any) -> bool:
    """The user's agency's region holds the case's region."""
    agency = user.agency if user.agency_id else None
    return (
        agency is not None
        and case is not None
        and case.region.code.startswith(agency.region.prefix)
    )


@rules.predicate
def leads(user: Any, case: Any) -> bool:
    """The leading police agency, or a police agency above it (a city bureau directs
    its counties' cases); a police agency beside or below it does not."""
    if case is None or user.agency_id is None:
        return False
    if user.agency_id == case.lead_agency_id:
        return True
    agency = user.agency
    return bool(
        agency.kind == AgencyKind.POLICE
        and agency.region_id != case.lead_agency.region_id
        and case.lead_agency.region.code.startswith(agency.region.prefix)
    )


coordinates = of_kind(AgencyKind.CAMPAIGN_OFFICE) & covers
prosecutes = of_kind(AgencyKind.PROCURATORATE) & covers
tries = of_kind(AgencyKind.COURT) & covers
#: Whoever works on the case: the leading police, the procuratorate and court in whose
#: region it lies, the coordinating campaign office.
handles = leads | prosecutes | tries | coordinates

BY_KIND = {
    AgencyKind.POLICE: leads,
    AgencyKind.PROCURATORATE: prosecutes,
    AgencyKind.COURT: tries,
}


def refusal(doing: str, who: str, police: bool = True) -> Any:
    """Why not: the role or agency kind first, then another police agency's case."""

    def why(user: Any, case: Any) -> str:
        if not is_case_clerk(user):
            return f"只有{CASE_WORKERS}可以{doing}。"
        if (
            police
            and case is not None
            and user.agency_kind == AgencyKind.POLICE
            and not leads(user, case)
        ):
            return f"该案由{case.lead_agency.name}主办，本单位不能{doing}。"
        if case is not None and user.agency_kind != AgencyKind.POLICE and not covers(user, case):
            return f"该案不在本单位辖区，本单位不能{doing}。"
        return f"该事项应由{who}办理，本单位不能{doing}。"

    return why


def stage_refusal(stage: Stage) -> Any:
    kind = AgencyKind(STAGE_AGENCIES[stage])
    doing = f"登记“{stage.label}”"

    def why(user: Any, case: Any) -> str:
        if not is_case_clerk(user):
            return f"只有{CASE_WORKERS}可以{doing}。"
        if user.agency_kind == kind == AgencyKind.POLICE and case is not None:
            return f"该案由{case.lead_agency.name}主办，本单位不能{doing}。"
        if user.agency_kind == kind and case is not None:
            return f"该案不在本单位辖区，本单位不能{doing}。"
        return f"“{stage.label}”应由{kind.label}登记，本单位不能登记。"

    return why


def stage_rule(stage: str) -> str:
    """The rule of one stage ("cases.stage_arrest_approved")."""
    return f"cases.stage_{stage}"


rule(
    "cases.open",
    is_case_clerk & of_kind(AgencyKind.POLICE, AgencyKind.CAMPAIGN_OFFICE),
    "只有公安机关或扫黑办的录入员、审核员可以立案登记。",
)
for stage in Stage:
    rule(
        stage_rule(stage),
        is_case_clerk & (BY_KIND[AgencyKind(STAGE_AGENCIES[stage])] | coordinates),
        stage_refusal(stage),
    )
rule(
    "cases.stage",
    is_case_clerk & handles,
    refusal("登记办案阶段", "主办公安机关及其上级公安机关、辖区检察院、法院或扫黑办"),
)
for action, doing in (
    ("suspect", "登记犯罪嫌疑人"),
    ("status", "登记强制措施或处理结果"),
    ("asset", "登记涉案财产"),
    ("dispose", "登记财产处置"),
    ("consultation", "登记会商"),
):
    rule(
        f"cases.{action}",
        is_case_clerk & handles,
        refusal(doing, "主办公安机关及其上级公安机关、辖区检察院、法院或扫黑办"),
    )
rule(
    "cases.intervention",
    is_case_clerk & (prosecutes | coordinates),
    refusal("登记提前介入", "辖区检察院或扫黑办", police=False),
)
rule(
    "cases.supervision",
    is_case_clerk & coordinates,
    refusal("登记联合督办", "案件所在地扫黑办", police=False),
)
