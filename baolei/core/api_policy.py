"""The action policy in the API (kept apart from ``api.py``: DRF loads permission
classes from its settings while its own views module is still importing)."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from baolei.core import policy, security_log


class PolicyPermission(permissions.BasePermission):
    """The action policy for API writes on one record: a viewset names the rule of each
    of its write actions in ``policy_actions`` ({"cancel": "ledger.cancel"}), asked when
    the action fetches its record, before the body is read. A refusal is a 403 whose
    ``detail`` is the rule's Chinese reason, and is written to the security log."""

    message = policy.DEFAULT_REASON

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        name = getattr(view, "policy_actions", {}).get(getattr(view, "action", None))
        if not name or policy.allows(request.user, name, obj):
            return True
        self.message = policy.reason(request.user, name, obj)
        security_log.record(
            security_log.ACCESS_DENIED,
            request=request,
            success=False,
            target=f"{type(obj)._meta.verbose_name} {obj.pk}",
            detail={"action": view.action, "record": obj.pk, "api": True},
        )
        return False
