"""{% unread_notices as count %}: the bell's number in the top bar, one query a page."""

from __future__ import annotations

from typing import Any

from django import template

from baolei.notices.queries import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context: Any) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))
