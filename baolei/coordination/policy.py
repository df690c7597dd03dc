"""Who may act in coordination (会议、制度、考核): clerks and reviewers record meetings
and mechanisms; reviewers set the required meeting cadence and draw up assessment
schemes; a decision is added to a meeting, and a manual score given on a scheme, only
by someone who sees the whole meeting or scheme (a county does not score itself on the
city's scheme)."""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import Role
from baolei.core.policy import rule, sees_whole


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER))


@rules.predicate
def is_reviewer(user: Any) -> bool:
    return bool(user.has_role(Role.REVIEWER))


#: The user sees the whole record, not only the parts of its own county.
holds = sees_whole(lambda record: record.region)


def not_whole(doing: str, who: str) -> Any:
    def why(user: Any, record: Any) -> str:
        if record is not None and not holds(user, record):
            return (
                f"该记录属于{record.region.name}，本单位只能查看与本县(区)有关的部分，不能{doing}。"
            )
        return f"只有{who}可以{doing}。"

    return why


rule("coordination.record_meeting", is_editor, "只有录入员或审核员可以登记会议。")
rule("coordination.record_mechanism", is_editor, "只有录入员或审核员可以登记制度机制。")
rule("coordination.require_cadence", is_reviewer, "只有审核员可以设定会议频次要求。")
rule("coordination.create_scheme", is_reviewer, "只有审核员可以制定考核方案。")
rule("coordination.decide", is_editor & holds, not_whole("登记决定事项", "录入员或审核员"))
rule("coordination.score", is_reviewer & holds, not_whole("人工评分", "审核员"))
