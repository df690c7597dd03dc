"""No page takes a POST without the action policy: every ``ActionView`` action names
a rule, every other page that accepts a POST names one (``permission``, or
``record_permission`` asked of its record), or says in ``policy_exempt`` why it needs
none (signing in, one's own password and tokens)."""

from __future__ import annotations

from typing import Any

import pytest

from baolei.core import policy
from baolei.core.outcomes import ActionView
from baolei.web.tests.test_scoping import ROUTES


def post_views() -> list[tuple[str, Any]]:
    """Every page class reached from the URL resolver that accepts a POST."""
    found: dict[Any, str] = {}
    for route in ROUTES:
        cls = route.view_class
        if route.name.startswith("api:") or cls is None or cls in found:
            continue
        if "post" in getattr(cls, "http_method_names", []) and hasattr(cls, "post"):
            found[cls] = route.name
    return [(name, cls) for cls, name in found.items()]


@pytest.mark.parametrize(("name", "cls"), post_views(), ids=[n for n, _ in post_views()])
def test_every_post_route_asks_the_policy_or_says_why_not(name: str, cls: Any) -> None:
    if getattr(cls, "policy_exempt", ""):
        return
    if issubclass(cls, ActionView):
        for action, operation in cls.actions.items():
            assert operation.permission and policy.known(operation.permission), (
                f"{name} ({cls.__name__}) action {action!r} asks no rule of the policy "
                "and the view does not say why in policy_exempt"
            )
        return
    rule = getattr(cls, "permission", "")
    asks_per_record = getattr(cls, "record_permission", "")
    assert (rule and policy.known(rule)) or policy.known(asks_per_record), (
        f"{name} ({cls.__name__}) takes a POST but names no rule (permission) "
        "and does not say why in policy_exempt"
    )


@pytest.mark.django_db
def test_a_page_that_asks_the_policy_of_its_record_logs_the_refusal(
    world: Any, client: Any
) -> None:
    from datetime import date

    from baolei.audit.models import Action, SecurityEvent
    from baolei.ledger.models import LedgerItem

    item = LedgerItem.objects.create(
        key="TZ-甲-0099",
        title="甲县扫黑办的事项",
        region=world.village_a,
        owner_agency=world.agencies["a_office"],
        responsible_person="李某",
        deadline=date(2026, 12, 31),
    )
    client.force_login(world.police_clerk)  # sees the item (city scope) but does not run it
    response = client.get(f"/ledger/{item.pk}/edit/")
    assert response.status_code == 403
    assert policy.reason(world.police_clerk, "ledger.edit", item) in response.content.decode()
    refused = SecurityEvent.objects.get(action=Action.ACCESS_DENIED, actor="police_clerk")
    assert refused.detail == {"action": "ledger.edit"} and not refused.success
