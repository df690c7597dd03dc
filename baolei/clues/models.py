"""Clues (线索) and their two-way referral with acknowledgement and feedback deadlines."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.accounts.models import AgencyKind, Role
from baolei.core.scoping import ScopedQuerySet


class Category(models.TextChoices):
    GANG = "gang", "涉黑"
    EVIL_FORCE = "evil_force", "涉恶"
    UMBRELLA = "umbrella", "“保护伞”及腐败问题"
    VILLAGE_BULLY = "village_bully", "村霸"
    CLAN = "clan", "宗族势力干扰"
    OTHER = "other", "其他"


class Source(models.TextChoices):
    PUBLIC_REPORT = "public_report", "群众举报"
    HOTLINE = "hotline", "举报热线"
    LETTER_VISIT = "letter_visit", "信访"
    INSPECTION = "inspection", "巡视巡察"
    SUPERVISION_TEAM = "supervision_team", "督导组交办"
    AGENCY_REFERRAL = "agency_referral", "部门移送"
    VETTING_HIT = "vetting_hit", "背景审查发现"
    OTHER = "other", "其他"


class ClueStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ASSIGNED = "assigned", "已交办"
    VERIFYING = "verifying", "核查中"
    CONCLUDED = "concluded", "已办结"
    MERGED = "merged", "已并案"


OPEN = (ClueStatus.REGISTERED, ClueStatus.ASSIGNED, ClueStatus.VERIFYING)
#: The lifecycle: each status may move only to these.
TRANSITIONS = {
    ClueStatus.REGISTERED: (ClueStatus.ASSIGNED,),
    ClueStatus.ASSIGNED: (ClueStatus.VERIFYING,),
    ClueStatus.VERIFYING: (ClueStatus.CONCLUDED,),
}


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", "属实"
    PARTLY = "partly", "部分属实"
    UNSUBSTANTIATED = "unsubstantiated", "不属实"
    SET_ASIDE = "set_aside", "暂存待查"


class ClueQuerySet(ScopedQuerySet):
    region_field = "region"

    def restrict_for(self, user: Any, rows: Self) -> Self:
        rule = hidden_umbrella(user, "")
        return rows if rule is None else rows.filter(rule)

    def open(self) -> Self:
        return self.filter(status__in=OPEN)


class Clue(models.Model):
    """A clue registered under a gapless yearly number (线索〔2026〕0001号)."""

    year = models.PositiveIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("线索编号", max_length=40, unique=True)
    received_on = models.DateField("受理日期", db_index=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    category = models.CharField("类别", max_length=16, choices=Category.choices, db_index=True)
    summary = models.TextField("问题线索摘要")
    region = models.ForeignKey(
        "regions.Region", verbose_name="涉及区划", on_delete=models.PROTECT, related_name="clues"
    )
    persons = models.ManyToManyField(
        "people.Person", verbose_name="涉及人员", blank=True, related_name="clues"
    )
    handling_agency = models.ForeignKey(
        "accounts.Agency", verbose_name="承办单位", on_delete=models.PROTECT, related_name="clues"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_clues",
    )
    reporter_encrypted = models.TextField("举报人信息（密文）", blank=True, editable=False)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ClueStatus.choices,
        default=ClueStatus.REGISTERED,
        db_index=True,
    )
    conclusion = models.CharField("办结结论", max_length=16, choices=Conclusion.choices, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    deadline = models.DateField("办结时限", db_index=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="立案案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入线索",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ClueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["reporter_encrypted"])

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"],
                name="clue_number_once",
                violation_error_message="线索编号重复。",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ClueStatus.CONCLUDED)
                    & ~Q(conclusion="")
                    & Q(concluded_on__isnull=False)
                )
                | (~Q(status=ClueStatus.CONCLUDED) & Q(conclusion="")),
                name="clue_concluded_with_conclusion",
                violation_error_message="办结须写明结论和日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class ClueCounter(models.Model):
    """The last number issued in a year; locked while a clue is registered, so numbers have no gaps."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "线索编号计数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def hidden_umbrella(user: Any, path: str) -> Any:
    """Umbrella and corruption clues: the discipline commission and campaign-office leaders,
    plus the agency that holds the clue or passed it on — nobody else. The condition on
    the clue at ``path`` ("" for a clue, "clue__" for a referral), or None for a user who
    sees them all. A condition, not a join: joining the referrals multiplied the rows and
    took a DISTINCT over every clue of the region (0.6 s of a province's dashboard)."""
    kind = getattr(user, "agency_kind", None)
    if kind == AgencyKind.DISCIPLINE or (
        kind == AgencyKind.CAMPAIGN_OFFICE and user.has_role(Role.LEADER)
    ):
        return None
    passed_on = Referral.objects.filter(
        clue=OuterRef(f"{path}pk"), from_agency=user.agency_id
    ).order_by()
    return (
        ~Q(**{f"{path}category": Category.UMBRELLA})
        | Q(**{f"{path}handling_agency": user.agency_id})
        | Exists(passed_on)
    )


class CluePartQuerySet(ScopedQuerySet):
    """What belongs to one clue (its referrals, supervisions) is seen with the clue."""

    region_field = "clue__region"

    def restrict_for(self, user: Any, rows: Self) -> Self:
        rule = hidden_umbrella(user, "clue__")
        return rows if rule is None else rows.filter(rule)


class Transition(models.Model):
    """A dated change of a clue's status, by whom."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=12, choices=ClueStatus.choices)
    to_status = models.CharField("新状态", max_length=12, choices=ClueStatus.choices)
    on = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "线索流转"
        verbose_name_plural = verbose_name
        ordering = ["clue", "on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_from_status_display()}→{self.get_to_status_display()}"


class ClueSupervision(models.Model):
    """督办: the campaign office puts a clue under supervision with its own deadline."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="supervisions")
    on = models.DateField("督办日期")
    deadline = models.DateField("督办时限")
    requirement = models.TextField("督办要求")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CluePartQuerySet.as_manager()

    class Meta:
        verbose_name = "线索督办"
        verbose_name_plural = verbose_name
        ordering = ["-on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("on")),
                name="clue_supervision_deadline_after_start",
                violation_error_message="督办时限不能早于督办日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.clue} 督办"


class Direction(models.TextChoices):
    TO_DISCIPLINE = "to_discipline", "政法机关移送纪委监委"
    TO_POLICE = "to_police", "纪委监委移送公安机关"
    OTHER = "other", "其他移送"


class Referral(models.Model):
    """One hop of a clue between agencies, with acknowledgement and feedback deadlines."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="移送单位",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="接收单位",
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    direction = models.CharField("方向", max_length=16, choices=Direction.choices)
    sent_on = models.DateField("移送日期", db_index=True)
    reason = models.TextField("移送理由")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledge_by = models.DateField("签收时限")
    feedback_by = models.DateField("反馈时限")
    acknowledged_on = models.DateField("签收日期", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    feedback = models.TextField("反馈情况", blank=True)

    objects = CluePartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "线索移送"
        verbose_name_plural = verbose_name
        ordering = ["clue", "sent_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")),
                name="referral_not_to_self",
                violation_error_message="不能移送给本单位。",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True)
                | Q(acknowledged_on__gte=models.F("sent_on")),
                name="referral_ack_after_sending",
                violation_error_message="签收日期不能早于移送日期。",
            ),
            models.CheckConstraint(
                condition=Q(feedback_on__isnull=True)
                | Q(acknowledged_on__isnull=False, feedback_on__gte=models.F("acknowledged_on")),
                name="referral_feedback_after_ack",
                violation_error_message="反馈须在签收之后。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clue} {self.from_agency}→{self.to_agency}"
