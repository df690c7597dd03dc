"""The village cadre roster: posts held, duty evaluations (履职研判), adjustments,
education upgrade and training.  Who holds a post today is derived from dated
appointments and executed adjustments, never stored as a flag."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.core.scoping import CoveringQuerySet, ScopedQuerySet
from baolei.people.models import Education


class Post(models.TextChoices):
    SECRETARY = "secretary", "村党组织书记"
    SECRETARY_DIRECTOR = "secretary_director", "村党组织书记兼村委会主任（一肩挑）"
    DIRECTOR = "director", "村委会主任"
    DEPUTY_SECRETARY = "deputy_secretary", "村党组织副书记"
    DEPUTY_DIRECTOR = "deputy_director", "村委会副主任"
    MEMBER = "member", "村两委委员"
    COMMUNITY_SECRETARY = "community_secretary", "社区党组织书记"
    COMMUNITY_SECRETARY_DIRECTOR = (
        "community_secretary_director",
        "社区党组织书记兼居委会主任（一肩挑）",
    )
    COMMUNITY_DIRECTOR = "community_director", "社区居委会主任"
    COMMUNITY_DEPUTY = "community_deputy", "社区党组织副书记/居委会副主任"
    COMMUNITY_MEMBER = "community_member", "社区两委委员"


#: Posts of a Party organisation secretary: the subjects of duty evaluations.
SECRETARY_POSTS = (
    Post.SECRETARY,
    Post.SECRETARY_DIRECTOR,
    Post.COMMUNITY_SECRETARY,
    Post.COMMUNITY_SECRETARY_DIRECTOR,
)
COMMUNITY_POSTS = (
    Post.COMMUNITY_SECRETARY,
    Post.COMMUNITY_SECRETARY_DIRECTOR,
    Post.COMMUNITY_DIRECTOR,
    Post.COMMUNITY_DEPUTY,
    Post.COMMUNITY_MEMBER,
)
#: One holder at a time; deputies and members may be several.
SINGLE_POSTS = (
    Post.SECRETARY,
    Post.SECRETARY_DIRECTOR,
    Post.DIRECTOR,
    Post.COMMUNITY_SECRETARY,
    Post.COMMUNITY_SECRETARY_DIRECTOR,
    Post.COMMUNITY_DIRECTOR,
)


class AppointmentQuerySet(ScopedQuerySet):
    region_field = "region"


class Appointment(models.Model):
    """任职: one person in one post of one village or community, for a term."""

    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="appointments"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="村(社区)",
        on_delete=models.PROTECT,
        related_name="cadre_appointments",
    )
    post = models.CharField("职务", max_length=32, choices=Post.choices)
    started_on = models.DateField("任职日期")
    term_starts_on = models.DateField("本届任期起")
    term_ends_on = models.DateField("本届任期止")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppointmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "村干部任职"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "post", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("term_starts_on")),
                name="appointment_term_in_order",
                violation_error_message="任期止日应晚于任期起日。",
            ),
            models.CheckConstraint(
                condition=Q(started_on__lt=F("term_ends_on")),
                name="appointment_starts_within_term",
                violation_error_message="任职日期应早于本届任期止日。",
            ),
            models.UniqueConstraint(
                fields=["person", "region", "post", "started_on"],
                name="appointment_once",
                violation_error_message="该人员的这一任职已登记。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.get_post_display()} {self.person.name}"

    @property
    def is_secretary(self) -> bool:
        return self.post in SECRETARY_POSTS


class CampaignQuerySet(CoveringQuerySet):
    region_field = "region"


class EvaluationCampaign(models.Model):
    """履职研判: evaluating every village Party secretary in a region over a period."""

    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="研判范围",
        on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
    )
    period_starts_on = models.DateField("研判期起")
    period_ends_on = models.DateField("研判期止")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "履职研判"
        verbose_name_plural = verbose_name
        ordering = ["-period_starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_ends_on__gte=F("period_starts_on")),
                name="campaign_period_in_order",
                violation_error_message="研判期止日不能早于起日。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class EvaluationQuerySet(ScopedQuerySet):
    region_field = "appointment__region"


class Evaluation(models.Model):
    """One secretary's rating in a campaign, with findings and evaluator."""

    campaign = models.ForeignKey(
        EvaluationCampaign, on_delete=models.CASCADE, related_name="evaluations"
    )
    appointment = models.ForeignKey(
        Appointment, verbose_name="任职", on_delete=models.PROTECT, related_name="evaluations"
    )
    rating = models.CharField("研判等次", max_length=12, choices=Rating.choices)
    flagged_incompetent = models.BooleanField("认定不胜任", default=False)
    findings = models.TextField("研判意见")
    evaluator = models.CharField("研判人", max_length=100)
    evaluated_on = models.DateField("研判日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "研判结果"
        verbose_name_plural = verbose_name
        ordering = ["campaign", "appointment__region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "appointment"],
                name="evaluation_once_per_campaign",
                violation_error_message="该书记在本次研判中已有结果。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.appointment.person.name} {self.get_rating_display()}"

    @property
    def needs_adjustment(self) -> bool:
        return self.rating == Rating.INCOMPETENT or self.flagged_incompetent


class Reason(models.TextChoices):
    INCOMPETENT = "incompetent", "不胜任"
    UNQUALIFIED = "unqualified", "不合格"
    GANG_EVIL = "gang_evil", "涉黑涉恶"
    DISCIPLINE = "discipline", "违纪违法"
    OTHER = "other", "其他"


class Decision(models.TextChoices):
    APPROVED = "approved", "批准"
    REJECTED = "rejected", "不予批准"


class AdjustmentStatus(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已批准待执行"
    REJECTED = "rejected", "不予批准"
    EXECUTED = "executed", "已调整"


class AdjustmentQuerySet(ScopedQuerySet):
    region_field = "appointment__region"


class Adjustment(models.Model):
    """调整: a proposal to remove a cadre from a post, approved by the organisation
    department, and executed on a date with a successor or the post left vacant."""

    appointment = models.ForeignKey(
        Appointment, verbose_name="被调整任职", on_delete=models.PROTECT, related_name="adjustments"
    )
    reason = models.CharField("调整原因", max_length=16, choices=Reason.choices)
    details = models.TextField("具体情况")
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name="研判依据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    proposed_on = models.DateField("提出日期")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        "审批意见", max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField("审批说明", blank=True)
    executed_on = models.DateField("执行日期", null=True, blank=True, db_index=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    successor = models.OneToOneField(
        Appointment,
        verbose_name="继任任职",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="succeeds",
    )

    objects = AdjustmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "村干部调整"
        verbose_name_plural = verbose_name
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=~Q(decision="rejected"),
                name="adjustment_once_per_appointment",
                violation_error_message="该任职已有调整建议在办或已调整。",
            ),
            models.CheckConstraint(
                condition=Q(decision="", decided_on__isnull=True)
                | (~Q(decision="") & Q(decided_on__gte=F("proposed_on"))),
                name="adjustment_decided_with_date",
                violation_error_message="审批日期不能早于提出日期。",
            ),
            models.CheckConstraint(
                condition=Q(executed_on__isnull=True)
                | Q(decision="approved", executed_on__gte=F("decided_on")),
                name="adjustment_executed_after_approval",
                violation_error_message="调整须经批准后执行，执行日期不能早于审批日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} · {self.get_reason_display()}"

    @property
    def status(self) -> str:
        if self.executed_on:
            return AdjustmentStatus.EXECUTED
        if self.decision:
            return self.decision
        return AdjustmentStatus.PROPOSED

    @property
    def status_label(self) -> str:
        return AdjustmentStatus(self.status).label


class EnrolmentQuerySet(ScopedQuerySet):
    region_field = "person__region"


class Enrolment(models.Model):
    """学历提升: a cadre's enrolment in the three-year education-upgrade programme."""

    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="enrolments"
    )
    target_level = models.CharField(
        "目标学历",
        max_length=20,
        choices=[(Education.JUNIOR_COLLEGE, "大专"), (Education.UNDERGRADUATE, "本科")],
    )
    institution = models.CharField("就读院校", max_length=100)
    enrolled_on = models.DateField("入学日期")
    expected_on = models.DateField("预计毕业日期")
    graduated_on = models.DateField("毕业日期", null=True, blank=True)
    withdrawn_on = models.DateField("退学日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = EnrolmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "学历提升"
        verbose_name_plural = verbose_name
        ordering = ["-enrolled_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_on__gt=F("enrolled_on")),
                name="enrolment_expected_after_start",
                violation_error_message="预计毕业日期应晚于入学日期。",
            ),
            models.CheckConstraint(
                condition=Q(graduated_on__isnull=True) | Q(graduated_on__gt=F("enrolled_on")),
                name="enrolment_graduates_after_start",
                violation_error_message="毕业日期应晚于入学日期。",
            ),
            models.CheckConstraint(
                condition=Q(graduated_on__isnull=True) | Q(withdrawn_on__isnull=True),
                name="enrolment_graduated_or_withdrawn",
                violation_error_message="已毕业的学员不能再登记退学。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.institution}"

    @property
    def status_label(self) -> str:
        if self.graduated_on:
            return "已毕业"
        if self.withdrawn_on:
            return "已退学"
        return "在读"


class BaseLevel(models.TextChoices):
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class TrainingBaseQuerySet(ScopedQuerySet):
    region_field = "region"


class TrainingBase(models.Model):
    """A "领头雁" training base at a demonstration village."""

    name = models.CharField("名称", max_length=100, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所在村(社区)",
        on_delete=models.PROTECT,
        related_name="training_bases",
    )
    level = models.CharField("级别", max_length=10, choices=BaseLevel.choices)
    opened_on = models.DateField("挂牌日期")

    objects = TrainingBaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "实训基地"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    SHADOWING = "shadowing", "脱产跟岗"
    CLASSROOM = "classroom", "集中授课"
    OTHER = "other", "其他"


class SessionQuerySet(ScopedQuerySet):
    region_field = "base__region"


class TrainingSession(models.Model):
    """A training session (期) held at a base."""

    base = models.ForeignKey(
        TrainingBase, verbose_name="实训基地", on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField("培训名称", max_length=100)
    kind = models.CharField("方式", max_length=12, choices=SessionKind.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "培训班次"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="session_dates_in_order",
                violation_error_message="结束日期不能早于开始日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.base.name} {self.title}"


class AttendanceQuerySet(ScopedQuerySet):
    region_field = "person__region"


class Attendance(models.Model):
    """A cadre's attendance at a session; ``completed`` counts them as trained."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="学员", on_delete=models.PROTECT, related_name="attendances"
    )
    completed = models.BooleanField("结业", default=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "参训记录"
        verbose_name_plural = verbose_name
        ordering = ["session", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="attendance_once_per_session",
                violation_error_message="该学员已在本期培训名单中。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.person.name}"
