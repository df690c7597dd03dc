"""Who may do what to which record: the one action policy.

Scoping (``visible_to``) says which records a user sees; the policy says which
actions the user may take on a record it sees. Each app states its rules in its own
``policy.py`` as django-rules predicates over ``(user, record)``, each with the
Chinese sentence that tells a refused user why ("该事项由清源市扫黑办负责，本单位只能
验收。"). The same rule is asked everywhere:

- services call ``require(actor, "ledger.cancel", item)`` before they write, so pages
  and the API refuse alike (``PermissionDenied`` with the reason, mapped by
  ``baolei.core.outcomes`` to the Chinese 403 page or a 403 with ``detail``);
- ``ActionView`` asks it before it reads the form (``Operation.permission``);
- templates show a button only when ``{% may "ledger.cancel" item as can %}`` allows it.

The rules live in a ``rules.RuleSet`` of their own, not in Django's permission
backends: a superuser flag or a model permission never widens them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.core.exceptions import PermissionDenied

POLICY = rules.RuleSet()
_REASONS: dict[str, Callable[[Any, Any], str]] = {}

#: The sentence for a refusal whose rule gives none.
DEFAULT_REASON = "您的单位或角色无权办理此事项。"


def rule(name: str, predicate: Any, reason: str | Callable[[Any, Any], str]) -> None:
    """States who may do ``name`` ("<app>.<action>") and why anyone else may not."""
    if POLICY.rule_exists(name):
        POLICY.set_rule(name, predicate)
    else:
        POLICY.add_rule(name, predicate)
    if isinstance(reason, str):
        text = reason
        _REASONS[name] = lambda user, record: text
    else:
        _REASONS[name] = reason


def known(name: str) -> bool:
    return POLICY.rule_exists(name)


def allows(user: Any, name: str, record: Any = None) -> bool:
    """Whether ``user`` may do ``name`` to ``record``; an unknown action is refused."""
    if not known(name):
        raise KeyError(f"no rule named {name!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(POLICY.test_rule(name, user, record))


def reason(user: Any, name: str, record: Any = None) -> str:
    return _REASONS.get(name, lambda u, r: DEFAULT_REASON)(user, record) or DEFAULT_REASON


def require(user: Any, name: str, record: Any = None) -> None:
    """Raises ``PermissionDenied`` with the rule's reason unless the policy allows it."""
    if not allows(user, name, record):
        raise PermissionDenied(reason(user, name, record))


def names() -> list[str]:
    return sorted(_REASONS)


# Predicates the apps' rules are built of.


def has(*roles: str) -> Any:
    """The user holds one of ``roles``."""

    @rules.predicate
    def role_is(user: Any) -> bool:
        return bool(user.has_role(*roles))

    return role_is


def of_kind(*kinds: str) -> Any:
    """The user's agency is of one of ``kinds``."""

    @rules.predicate
    def kind_is(user: Any) -> bool:
        return user.agency_kind in kinds

    return kind_is


def covers(kind: str, region_of: Callable[[Any], Any]) -> Any:
    """The user's agency is of ``kind`` and its region covers the record's."""

    @rules.predicate
    def covering(user: Any, record: Any) -> bool:
        agency = user.agency if user.agency_id else None
        return (
            record is not None
            and agency is not None
            and agency.kind == kind
            and region_of(record).code.startswith(agency.region.prefix)
        )

    return covering


def sees_whole(region_of: Callable[[Any], Any]) -> Any:
    """The record's region lies inside the user's scope: the user sees all of it, not
    only the parts of its own (a city plan seen by a county does not)."""

    @rules.predicate
    def whole(user: Any, record: Any) -> bool:
        prefix = getattr(user, "scope_prefix", None)
        return (
            record is not None
            and prefix is not None
            and (region_of(record).code.startswith(prefix))
        )

    return whole
