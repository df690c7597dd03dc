"""{% may "ledger.cancel" item as can_cancel %}: a button is shown only when the
action policy (baolei.core.policy) allows the signed-in user to use it."""

from __future__ import annotations

from typing import Any

from django import template

from baolei.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: Any, action: str, record: Any = None) -> bool:
    request = context.get("request")
    return policy.allows(getattr(request, "user", None), action, record)
