"""Meetings and their decisions, mechanisms issued (制度), and assessment (考核)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from baolei.core.scoping import CoveringQuerySet


class RegionWide(CoveringQuerySet):
    """Visible in its region and to everyone whose region it covers."""

    region_field = "region"


class MeetingKind(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", "常委会会议"
    LEADING_GROUP = "leading_group", "扫黑除恶专项斗争领导小组会议"
    LEADING_GROUP_TOPIC = "leading_group_topic", "领导小组专题会议"
    ANTI_CORRUPTION = "anti_corruption", "反腐败协调小组会议"
    JOINT_MEETING = "joint_meeting", "纪检监察机关与政法机关联席会议"
    OTHER = "other", "其他会议"


class Meeting(models.Model):
    """A meeting on the campaign; each decision becomes a ledger item."""

    kind = models.CharField("会议类型", max_length=24, choices=MeetingKind.choices, db_index=True)
    held_on = models.DateField("召开日期", db_index=True)
    topic = models.CharField("议题", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="层级", on_delete=models.PROTECT, related_name="+"
    )
    convener = models.ForeignKey(
        "accounts.Agency", verbose_name="召集单位", on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.ManyToManyField(
        "accounts.Agency", verbose_name="参会单位", blank=True, related_name="+"
    )
    minutes = models.FileField("会议纪要", upload_to="meetings/", blank=True)
    decisions = GenericRelation(
        "ledger.LedgerItem", content_type_field="source_type", object_id_field="source_id"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RegionWide.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = verbose_name
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class MeetingCadence(models.Model):
    """A required rhythm, e.g. the joint meeting at least once a quarter; a gap is a warning."""

    kind = models.CharField("会议类型", max_length=24, choices=MeetingKind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="适用区划", on_delete=models.PROTECT, related_name="+"
    )
    every_days = models.PositiveIntegerField("至少每隔（天）")
    since = models.DateField("起算日期")

    objects = RegionWide.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议频次要求"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region"],
                name="one_cadence_per_kind_region",
                violation_error_message="该区划已有此类会议的频次要求。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_kind_display()} 每{self.every_days}天"


class MechanismKind(models.TextChoices):
    SYSTEM = "system", "制度"
    PLAN = "plan", "方案"
    MECHANISM = "mechanism", "机制"


class MechanismStatus(models.TextChoices):
    TRIAL = "trial", "试行"
    IN_FORCE = "in_force", "施行"
    REPEALED = "repealed", "废止"


class Mechanism(models.Model):
    """A regulation or mechanism issued, possibly jointly by several agencies."""

    title = models.CharField("名称", max_length=200)
    document_number = models.CharField("文号", max_length=60, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="层级", on_delete=models.PROTECT, related_name="+"
    )
    issuers = models.ManyToManyField("accounts.Agency", verbose_name="印发单位", related_name="+")
    issued_on = models.DateField("印发日期")
    kind = models.CharField("类别", max_length=12, choices=MechanismKind.choices)
    status = models.CharField(
        "状态", max_length=12, choices=MechanismStatus.choices, default=MechanismStatus.IN_FORCE
    )
    attachment = models.FileField("文件", upload_to="mechanisms/", blank=True)

    objects = RegionWide.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "制度机制"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return self.title


class AssessmentScheme(models.Model):
    """考核方案 for a period; counties are scored on its indicators."""

    name = models.CharField("方案名称", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="范围", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("考核期起")
    ends_on = models.DateField("考核期止")

    objects = RegionWide.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="scheme_dates_in_order",
                violation_error_message="考核期止不能早于考核期起。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Metric(models.TextChoices):
    MANUAL = "manual", "人工评分"
    RECTIFICATION_RATE = "rectification_rate", "台账整改完成率（按完成比例得分）"
    OVERDUE_ITEMS = "overdue_items", "逾期台账事项（每项扣分）"
    MISSED_MEETINGS = "missed_meetings", "未按要求召开会议（每次扣分）"
    FEEDBACK_ON_TIME = "feedback_on_time", "线索移送按时反馈率（按比例得分）"
    CLUE_CONCLUSION = "clue_conclusion", "线索按期办结率（按比例得分）"


class Indicator(models.Model):
    """One weighted indicator of a scheme: computed from Baolei's records or scored by hand."""

    scheme = models.ForeignKey(
        AssessmentScheme, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("指标", max_length=100)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    metric = models.CharField("计分方式", max_length=24, choices=Metric.choices)
    per_occurrence = models.DecimalField(
        "每次扣分", max_digits=6, decimal_places=2, default=Decimal("0.25")
    )
    position = models.PositiveIntegerField("顺序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = verbose_name
        ordering = ["scheme", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0),
                name="indicator_points_positive",
                violation_error_message="分值须大于 0。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.points}分）"


class ManualScoreQuerySet(CoveringQuerySet):
    region_field = "county"


class ManualScore(models.Model):
    """A score given by hand, with its reason."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_scores")
    county = models.ForeignKey(
        "regions.Region", verbose_name="县(区)", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    reason = models.TextField("评分理由")
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ManualScoreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "county"],
                name="one_manual_score",
                violation_error_message="该县(区)此项已评分。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.indicator.name} {self.score}"
