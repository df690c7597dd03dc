"""Administrative divisions by 12-digit statistical code, and governance centres."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from baolei.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from baolei.accounts.models import User


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县(区)"
    TOWNSHIP = "township", "乡镇(街道)"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    NEW_COMMUNITY = "new_community", "新型社区"


# How many leading digits of the 12-digit code are significant at each level.
SIGNIFICANT_DIGITS = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.COMMUNITY: 12,
    Level.NEW_COMMUNITY: 12,
}
VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY, Level.NEW_COMMUNITY)


def significant_length(code: str) -> int:
    """Length of the code's significant prefix, read from its zero padding."""
    if code[9:] != "000":
        return 12
    if code[6:9] != "000":
        return 9
    if code[4:6] != "00":
        return 6
    if code[2:4] != "00":
        return 4
    return 2


def parent_code(code: str) -> str | None:
    """The code of the region one level up, by the prefix rule (None for a province). A
    city's is its province's, which a deployment of one city need not hold."""
    length = significant_length(code)
    shorter = {12: 9, 9: 6, 6: 4, 4: 2}.get(length)
    if shorter is None:
        return None
    return code[:shorter].ljust(12, "0")


class RegionQuerySet(ScopedQuerySet):
    def visible_to(self, user: User | Any) -> RegionQuerySet:
        prefix = user.scope_prefix
        if prefix is None:
            return self.none()
        return self.filter(code__under=prefix)

    def subtree(self, region: Region) -> RegionQuerySet:
        return self.filter(code__under=region.prefix)


class Region(models.Model):
    """An administrative division identified by its 12-digit statistical code."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{12}$"),
                name="region_code_12_digits",
                violation_error_message="区划代码必须是12位数字。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: SIGNIFICANT_DIGITS[Level(self.level)]]

    @property
    def is_village_level(self) -> bool:
        return self.level in VILLAGE_LEVELS


class GovernanceCentreQuerySet(ScopedQuerySet):
    region_field = "region"


class GovernanceCentre(models.Model):
    """A comprehensive-governance centre (综治中心) established in one region."""

    region = models.OneToOneField(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="governance_centre"
    )
    name = models.CharField("名称", max_length=120)
    established_on = models.DateField("建成日期")

    objects = GovernanceCentreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "综治中心"
        verbose_name_plural = verbose_name
        ordering = ["region__code"]

    def __str__(self) -> str:
        return self.name
