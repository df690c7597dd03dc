"""The one door to every record: ``visible_to(user)``.

Every domain queryset derives from ``ScopedQuerySet``.  A user sees the rows
whose region lies in the subtree of their agency's region (a prefix match on
the 12-digit division code), narrowed further by rules of the model for the
user's agency kind and roles.  Anything that cannot be placed fails closed:
an anonymous user, a user without an agency, or an inactive user sees nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from baolei.accounts.models import User


class ScopedQuerySet(models.QuerySet):
    #: Path from the model to its Region foreign key.
    region_field: str = "region"

    def visible_to(self, user: User | Any) -> Self:
        prefix = getattr(user, "scope_prefix", None)
        if not getattr(user, "is_authenticated", False) or prefix is None:
            return self.none()
        rows = self.filter(**{f"{self.region_field}__code__startswith": prefix})
        return self.restrict_for(user, rows)

    def restrict_for(self, user: User, rows: Self) -> Self:
        """Rules by agency kind and role on top of the region subtree (none by default)."""
        return rows


def ancestor_codes(prefix: str) -> list[str]:
    """12-digit codes of the regions above a scope prefix (city, county, township)."""
    return [prefix[:n].ljust(12, "0") for n in (4, 6, 9) if n < len(prefix)]


class CoveringQuerySet(ScopedQuerySet):
    """For records that govern a whole region (a screening round, a supervision plan):
    visible inside that region, and to every user whose region it covers."""

    def visible_to(self, user: User | Any) -> Self:
        prefix = getattr(user, "scope_prefix", None)
        if not getattr(user, "is_authenticated", False) or prefix is None:
            return self.none()
        field = f"{self.region_field}__code"
        rows = self.filter(
            Q(**{f"{field}__startswith": prefix}) | Q(**{f"{field}__in": ancestor_codes(prefix)})
        )
        return self.restrict_for(user, rows)


def sees_whole(user: User | Any, region: Any) -> bool:
    """Whether a record of ``region`` lies inside the user's scope. A covering record that
    does not (a city record seen by a county) shows that user only the parts of its own."""
    prefix = getattr(user, "scope_prefix", None)
    return prefix is not None and region.code.startswith(prefix)
