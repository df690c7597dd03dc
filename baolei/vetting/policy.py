"""Who may act in the background review (背景审查): clerks and reviewers start a run
over a region in their scope and run a failed one again; reviewers decide candidates
(研判) — one by one or in bulk — and follow a confirmed hit up with a clue or an
adjustment proposal."""

from __future__ import annotations

from typing import Any

import rules

from baolei.accounts.models import Role
from baolei.core.policy import rule


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(user.has_role(Role.CLERK, Role.REVIEWER)) and user.scope_prefix is not None


@rules.predicate
def is_reviewer(user: Any) -> bool:
    return bool(user.has_role(Role.REVIEWER)) and user.scope_prefix is not None


rule("vetting.start", is_editor, "只有录入员或审核员可以发起背景审查比对。")
rule("vetting.rerun", is_editor, "只有录入员或审核员可以重新运行比对。")
rule("vetting.decide", is_reviewer, "只有审核员可以研判疑似命中。")
rule("vetting.follow_up", is_reviewer, "只有审核员可以对确认命中生成线索或提出调整建议。")
rule("vetting.import_list", is_editor, "只有录入员或审核员可以导入外部名单。")
