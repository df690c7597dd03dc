"""Who may state or remove a relation between persons (人员关系).

The agencies that work on gangs and their umbrellas — the campaign office (扫黑办), the
discipline commission (纪委监委), police, procuratorate and court — enter relations
through their clerks and reviewers. A relation is removed by the agency that entered
it (its clerks and reviewers), or by a reviewer of an agency whose region covers the
relation's, who answers for the records below it. Leaders read the network; the three
administrators do no case work.
"""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import AgencyKind, Role
from baolei.core.policy import has, rule

#: The agencies whose clerks and reviewers enter relations.
NETWORK_AGENCIES = (
    AgencyKind.CAMPAIGN_OFFICE,
    AgencyKind.DISCIPLINE,
    AgencyKind.POLICE,
    AgencyKind.PROCURATORATE,
    AgencyKind.COURT,
)


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER)) and user.agency_kind in NETWORK_AGENCIES


@rules.predicate
def entered(user: Any, relation: Any) -> bool:
    return (
        relation is not None
        and user.agency_id is not None
        and relation.entering_agency_id == user.agency_id
    )


@rules.predicate
def reviews(user: Any, relation: Any) -> bool:
    """A reviewer of an agency whose region covers the relation's."""
    agency = user.agency if user.agency_id else None
    return (
        relation is not None
        and agency is not None
        and bool(user.has_role(Role.REVIEWER))
        and relation.region.code.startswith(agency.region.prefix)
    )


EDITORS = "扫黑办、纪委监委、公安、检察、法院的录入员或审核员"


def removal_refused(user: Any, relation: Any) -> str:
    if not is_editor(user):
        return f"只有{EDITORS}可以删除人员关系。"
    return "该关系由其他单位录入，只有录入单位或上级单位的审核员可以删除。"


rule("network.add", is_editor, f"只有{EDITORS}可以登记或导入人员关系。")
rule("network.remove", is_editor & (entered | reviews), removal_refused)
rule("network.find", is_editor, f"只有{EDITORS}可以查找同一人候选。")
rule(
    "network.decide",
    is_editor & has(Role.REVIEWER),
    f"只有{EDITORS.replace('录入员或', '')}可以研判同一人候选。",
)
