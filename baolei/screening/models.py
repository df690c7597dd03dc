"""Screening of village Party organisations against a negative list, joint review,
and one-village-one-plan rectification (一村一策) through the ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.accounts.models import AgencyKind
from baolei.core.scoping import CoveringQuerySet, ScopedQuerySet

DEFAULT_REVIEWERS = [
    AgencyKind.DISCIPLINE,
    AgencyKind.POLITICAL_LEGAL,
    AgencyKind.POLICE,
    AgencyKind.ORGANISATION,
]


class NegativeList(models.Model):
    """One version of a negative list (负面清单); a list in use is never edited."""

    name = models.CharField("名称", max_length=100)
    version = models.PositiveIntegerField("版本", default=1)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "负面清单"
        verbose_name_plural = verbose_name
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                name="negative_list_version_once",
                violation_error_message="该清单的此版本已存在。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class NegativeListItem(models.Model):
    """One criterion of a negative list, with the department that holds its evidence."""

    negative_list = models.ForeignKey(NegativeList, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("序号", max_length=10)
    text = models.CharField("内容", max_length=300)
    category = models.CharField("类别", max_length=40)
    evidence_agency = models.CharField("掌握证据的部门", max_length=32, choices=AgencyKind.choices)

    class Meta:
        verbose_name = "负面清单条目"
        verbose_name_plural = verbose_name
        ordering = ["negative_list", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["negative_list", "code"],
                name="negative_item_code_once",
                violation_error_message="清单内序号重复。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class RoundQuerySet(CoveringQuerySet):
    region_field = "region"


class RoundStatus(models.TextChoices):
    OPEN = "open", "排查中"
    CLOSED = "closed", "已结束"


class ScreeningRound(models.Model):
    """An exercise of screening in one region, against one list version, at a minimum ratio."""

    name = models.CharField("轮次名称", max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="排查范围",
        on_delete=models.PROTECT,
        related_name="screening_rounds",
    )
    negative_list = models.ForeignKey(
        NegativeList, verbose_name="负面清单版本", on_delete=models.PROTECT, related_name="rounds"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    minimum_ratio = models.DecimalField(
        "最低比例", max_digits=4, decimal_places=3, default=Decimal("0.100")
    )
    required_reviewers = models.JSONField("联审部门", default=list)
    plan_days = models.PositiveIntegerField("整顿期限（天）", default=180)
    status = models.CharField(
        "状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    closed_on = models.DateField("结束于", null=True, blank=True)
    closing_justification = models.TextField("未达比例的书面说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排查轮次"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="round_dates_in_order",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(minimum_ratio__gt=0, minimum_ratio__lte=1),
                name="round_ratio_between_0_and_1",
                violation_error_message="最低比例应在 0 到 100% 之间。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def minimum_percent(self) -> str:
        return f"{self.minimum_ratio * 100:g}%"

    @property
    def reviewer_labels(self) -> list[str]:
        return [AgencyKind(k).label for k in self.required_reviewers]


class Proposal(models.TextChoices):
    PENDING = "pending", "待排查"
    FLAG = "flag", "建议列入"
    CLEAR = "clear", "不列入"


class Standing(models.TextChoices):
    """Where the organisation stands in the round; every change is a dated event row."""

    BASE = "base", "排查对象"
    PROPOSED = "proposed", "待联审"
    RETURNED = "returned", "联审退回"
    CONFIRMED = "confirmed", "确定为软弱涣散"
    CLEARED = "cleared", "不列入"
    REMOVED = "removed", "移出名单"


class ScreeningQuerySet(ScopedQuerySet):
    region_field = "region"


class Screening(models.Model):
    """One village or community Party organisation in a round's base (snapshotted at opening)."""

    round = models.ForeignKey(ScreeningRound, on_delete=models.CASCADE, related_name="screenings")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="村(社区)",
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    proposal = models.CharField(
        "处理建议", max_length=10, choices=Proposal.choices, default=Proposal.PENDING
    )
    standing = models.CharField(
        "状态", max_length=12, choices=Standing.choices, default=Standing.BASE, db_index=True
    )
    confirmed_on = models.DateField("确定日期", null=True, blank=True)
    plan = models.OneToOneField(
        "ledger.LedgerItem",
        verbose_name="一村一策",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening",
    )

    objects = ScreeningQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排查对象"
        verbose_name_plural = verbose_name
        ordering = ["round", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region"],
                name="screening_once_per_round",
                violation_error_message="该组织已在本轮排查对象中。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.region}"


class Hit(models.Model):
    """A negative-list item found to apply, with its note and optional evidence."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="hits")
    item = models.ForeignKey(
        NegativeListItem, verbose_name="负面清单条目", on_delete=models.PROTECT, related_name="hits"
    )
    note = models.TextField("具体情况")
    evidence = models.ForeignKey(
        "ledger.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "命中条目"
        verbose_name_plural = verbose_name
        ordering = ["item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "item"],
                name="hit_once_per_item",
                violation_error_message="该条目已登记。",
            )
        ]

    def __str__(self) -> str:
        return str(self.item)


class ArchiveCheck(models.Model):
    """对有档案记载以来存在的问题逐一过"筛子": who checked the historical file, when, what was found."""

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="archive_checks"
    )
    checked_by = models.CharField("核查人", max_length=50)
    checked_on = models.DateField("核查日期")
    findings = models.TextField("核查发现")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "档案核查"
        verbose_name_plural = verbose_name
        ordering = ["-checked_on"]

    def __str__(self) -> str:
        return f"{self.checked_on} {self.checked_by}"


class Decision(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class JointReview(models.Model):
    """联审: one required agency's sign-off on a proposed organisation."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="reviews")
    agency_kind = models.CharField("部门", max_length=32, choices=AgencyKind.choices)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("意见", max_length=10, choices=Decision.choices)
    reason = models.TextField("理由", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("审核日期")
    recorded_at = models.DateTimeField(default=timezone.now)
    #: a review counts only for the proposal it was given on; a new proposal starts over
    superseded = models.BooleanField(default=False)

    class Meta:
        verbose_name = "联合审核"
        verbose_name_plural = verbose_name
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="disagree") | ~Q(reason=""),
                name="review_disagree_needs_reason",
                violation_error_message="不同意须写明理由。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()} {self.get_decision_display()}"


class ListChangeKind(models.TextChoices):
    PROPOSED = "proposed", "提出列入建议"
    CLEARED = "cleared", "排查后不列入"
    RETURNED = "returned", "联审退回"
    CONFIRMED = "confirmed", "联审确定"
    ADDED = "added", "动态增列"
    REMOVED = "removed", "动态移出"


class ListChange(models.Model):
    """A dated, justified change of an organisation's standing (动态调整)."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("变动", max_length=12, choices=ListChangeKind.choices)
    on = models.DateField("日期")
    reason = models.TextField("理由", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "名单变动"
        verbose_name_plural = verbose_name
        ordering = ["-on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"
