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


#: Prefixes this short (a province) select too much of a table for an index to help.
WIDE_PREFIX = 2


@models.CharField.register_lookup
class Under(models.Lookup):
    """``code__under=prefix``: the codes that start with ``prefix``, written as the range
    ``prefix <= code < prefix'`` (its last character raised by one). It selects what
    ``startswith`` selects, but an index on the column serves a range, whereas
    ``LIKE 'prefix%'`` is served by none on SQLite (its LIKE ignores case) nor on
    PostgreSQL outside the C collation: scoping by a region prefix was a scan of every
    row in the table."""

    lookup_name = "under"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if not prefix:
            return f"{lhs} IS NOT NULL", list(lhs_params)
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        if connection.vendor == "sqlite" and len(prefix) <= WIDE_PREFIX:
            # A province's range holds nearly every row, but SQLite's statistics cannot
            # tell a wide range from a narrow one and would walk the index region by
            # region; the unary + keeps it to a scan (PostgreSQL has histograms).
            lhs = f"+{lhs}"
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, *lhs_params, upper]


class ScopedQuerySet(models.QuerySet):
    #: Path from the model to its Region foreign key.
    region_field: str = "region"

    def visible_to(self, user: User | Any) -> Self:
        prefix = getattr(user, "scope_prefix", None)
        if not getattr(user, "is_authenticated", False) or prefix is None:
            return self.none()
        rows = self.filter(**{f"{self.region_field}__code__under": prefix})
        return self.restrict_for(user, rows)

    def restrict_for(self, user: User, rows: Self) -> Self:
        """Rules by agency kind and role on top of the region subtree (none by default)."""
        return rows


def ancestor_codes(prefix: str) -> list[str]:
    """12-digit codes of the regions above a scope prefix (province, city, county, township)."""
    return [prefix[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < len(prefix)]


class CoveringQuerySet(ScopedQuerySet):
    """For records that govern a whole region (a screening round, a supervision plan):
    visible inside that region, and to every user whose region it covers."""

    def visible_to(self, user: User | Any) -> Self:
        prefix = getattr(user, "scope_prefix", None)
        if not getattr(user, "is_authenticated", False) or prefix is None:
            return self.none()
        field = f"{self.region_field}__code"
        rows = self.filter(
            Q(**{f"{field}__under": prefix}) | Q(**{f"{field}__in": ancestor_codes(prefix)})
        )
        return self.restrict_for(user, rows)


def sees_whole(user: User | Any, region: Any) -> bool:
    """Whether a record of ``region`` lies inside the user's scope. A covering record that
    does not (a city record seen by a county) shows that user only the parts of its own."""
    prefix = getattr(user, "scope_prefix", None)
    return prefix is not None and region.code.startswith(prefix)
