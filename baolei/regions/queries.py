"""Reads of the region tree shared by pages, API and reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from baolei.regions.models import Level, Region

#: Levels at which the seed counts governance centres (县、乡、新型社区).
CENTRE_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.NEW_COMMUNITY)


@dataclass(frozen=True)
class Coverage:
    level: Level
    total: int
    covered: int

    @property
    def missing(self) -> int:
        return self.total - self.covered

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.covered == self.total


def centre_coverage(user: Any, within: Region | None = None) -> list[Coverage]:
    """Governance centres established / regions, per level, inside the user's scope."""
    regions = Region.objects.visible_to(user).filter(level__in=CENTRE_LEVELS)
    if within is not None:
        regions = regions.subtree(within)
    counts = {
        row["level"]: row
        for row in regions.values("level").annotate(
            total=Count("pk"), covered=Count("pk", filter=Q(governance_centre__isnull=False))
        )
    }
    return [
        Coverage(
            level, counts.get(level, {}).get("total", 0), counts.get(level, {}).get("covered", 0)
        )
        for level in CENTRE_LEVELS
    ]


def scope_root(user: Any) -> Region | None:
    """The region at the top of the user's scope: their agency's region."""
    if user.scope_prefix is None:
        return None
    return user.agency.region


def ancestors_in_scope(region: Region, user: Any) -> list[Region]:
    """Breadcrumb trail from the user's scope root down to the region's parent."""
    trail = []
    node = region.parent
    while node is not None and node.code.startswith(user.scope_prefix):
        trail.append(node)
        node = node.parent
    return list(reversed(trail))


def within_region(rows: Any, code: str, field: str = "region__code") -> Any:
    """Rows whose region lies in the subtree of the region with ``code`` (none for an unknown code).

    The one ``?within=`` filter of every list page."""
    region = Region.objects.filter(code=code).first()
    return rows.filter(**{f"{field}__startswith": region.prefix}) if region else rows.none()
