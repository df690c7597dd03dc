"""The ledger (台账): tracked items shared by screening, supervision and meetings."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.core.scoping import ScopedQuerySet


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "已完成"
    DONE_LONG_TERM = "done_long_term", "已完成·长期坚持"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
DONE_STATUSES = (Status.DONE, Status.DONE_LONG_TERM)


class SourceKind(models.TextChoices):
    NONE = "none", "无"
    SCREENING = "screening", "软弱涣散排查"
    SUPERVISION = "supervision", "督导问题"
    MEETING = "meeting", "会议决定"


class Warning(models.TextChoices):
    RED = "red", "红色（已逾期）"
    YELLOW = "yellow", "黄色（进展滞后）"
    BLUE = "blue", "蓝色（临近期限）"


class DayKind(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class LedgerItemQuerySet(ScopedQuerySet):
    region_field = "region"

    def open(self) -> LedgerItemQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class AcceptanceResult(models.TextChoices):
    ACCEPTED = "accepted", "验收通过"
    RETURNED = "returned", "退回整改"


class LedgerItem(models.Model):
    """One row of a ledger: a task with an owner, a deadline, progress and acceptance."""

    key = models.CharField("编号", max_length=40, unique=True)
    # The machine-made number an item carried before office numbers (TZ2026-00007,
    # WT-central-共性01-8); kept so that a number on an old slip or sheet still finds it.
    former_key = models.CharField("原编号", max_length=60, blank=True, db_index=True)
    title = models.CharField("事项", max_length=200)
    description = models.TextField("具体内容", blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        related_name="ledger_items",
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="ledger_items",
    )
    responsible_person = models.CharField("责任人", max_length=50)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_items",
    )
    supervising_leader = models.CharField("包保领导", max_length=50, blank=True)
    measures = models.JSONField("整改措施", default=list, blank=True)
    deadline = models.DateField("整改时限", db_index=True)
    deadline_start_on = models.DateField("期限起算日", null=True, blank=True)
    deadline_days = models.PositiveIntegerField("期限天数", null=True, blank=True)
    deadline_day_kind = models.CharField(
        "天数类型", max_length=16, choices=DayKind.choices, blank=True
    )
    suspended_on = models.DateField("中止计时日期", null=True, blank=True)
    # 长期坚持: a long-term item is reviewed again by this date, or it warns.
    review_on = models.DateField("下次复查日期", null=True, blank=True)
    status = models.CharField(
        "整改状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    cancel_reason = models.TextField("撤销原因", blank=True)
    source_kind = models.CharField(
        "来源", max_length=20, choices=SourceKind.choices, default=SourceKind.NONE
    )
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    # Kept by the services that add progress and acceptances (``services.note_latest``):
    # the warnings of every list, board and figure read them, and asking each item of a
    # province for its latest report took 3 s on the warnings board.
    latest_progress_on = models.DateField("最近进展日期", null=True, blank=True, editable=False)
    latest_result = models.CharField(
        "最近验收结果",
        max_length=16,
        choices=AcceptanceResult.choices,
        blank=True,
        editable=False,
    )

    objects = LedgerItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["latest_progress_on", "latest_result"])

    class Meta:
        verbose_name = "台账事项"
        verbose_name_plural = verbose_name
        ordering = ["deadline", "key"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.CANCELLED) | ~Q(cancel_reason=""),
                name="ledger_cancel_needs_reason",
                violation_error_message="撤销台账事项必须说明原因。",
            ),
            models.CheckConstraint(
                condition=Q(deadline_start_on__isnull=True)
                | Q(deadline__gte=models.F("deadline_start_on")),
                name="ledger_deadline_after_start",
                violation_error_message="整改时限不能早于起算日。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, today: date) -> bool:
        return self.is_open and self.suspended_on is None and self.deadline < today


class ProgressEntry(models.Model):
    """A dated report of what was done; never edited, corrected by a later entry."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField("进展日期")
    text = models.TextField("进展情况")
    corrects = models.ForeignKey(
        "self",
        verbose_name="更正",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = "进展情况"
        verbose_name_plural = verbose_name
        ordering = ["-on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:20]}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"ledger/{instance.item_id}/{timezone.localtime():%Y%m%d%H%M%S}_{filename}"


class EvidenceQuerySet(ScopedQuerySet):
    region_field = "item__region"


class Evidence(models.Model):
    """An attachment proving progress or completion (佐证材料)."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=20)
    size = models.PositiveBigIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = verbose_name
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Acceptance(models.Model):
    """验收: a reviewer of another agency accepts the item or returns it with reasons."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="acceptances")
    on = models.DateField("验收日期")
    result = models.CharField("验收结果", max_length=16, choices=AcceptanceResult.choices)
    long_term = models.BooleanField("长期坚持", default=False)
    notes = models.TextField("验收意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "验收"
        verbose_name_plural = verbose_name
        ordering = ["-on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result=AcceptanceResult.RETURNED) | ~Q(notes=""),
                name="ledger_return_needs_reasons",
                violation_error_message="退回整改必须写明理由。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_result_display()}"


class DeadlineChangeKind(models.TextChoices):
    EXTENSION = "extension", "延期"
    SUSPENSION = "suspension", "中止计时"


class DeadlineChange(models.Model):
    """A dated change of an item's deadline, with its reason."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="deadline_changes")
    kind = models.CharField("类型", max_length=16, choices=DeadlineChangeKind.choices)
    reason = models.TextField("理由")
    old_deadline = models.DateField("原时限")
    new_deadline = models.DateField("新时限")
    starts_on = models.DateField("中止开始", null=True, blank=True)
    ends_on = models.DateField("中止结束", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "时限变更"
        verbose_name_plural = verbose_name
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.old_deadline}→{self.new_deadline}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班"


class CalendarYear(models.Model):
    """A year whose holiday schedule has been entered completely."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=100)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = verbose_name
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A public holiday on a weekday or a make-up workday at a weekend (调休)."""

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField("节日", max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = verbose_name
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"
