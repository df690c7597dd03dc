"""Who may act on a person record (人员信息): clerks and reviewers register and edit
persons in their scope; leaders and reviewers may see a full ID or phone number, each
look written to the security log."""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import Role
from baolei.core.policy import rule


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER))


@rules.predicate
def may_unmask(user: Any) -> bool:
    return bool(user.has_role(Role.LEADER, Role.REVIEWER))


rule("people.edit", is_editor, "只有录入员或审核员可以登记或修改人员信息。")
rule("people.reveal", may_unmask, "只有领导或审核员可以查看完整号码。")
