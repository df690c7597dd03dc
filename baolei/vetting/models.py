"""Blanket background review of village cadres (对村干部进行拉网式背景审查): runs of
the matching engine over the roster and the persons known to the campaign, and a
human decision on each candidate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from baolei.core.scoping import CoveringQuerySet, ScopedQuerySet
from baolei.people.idnumber import mask

ENTRY_ID_COLUMN = "vetting.externalentry.id_number"


class ExternalListQuerySet(ScopedQuerySet):
    region_field = "region"


class ExternalList(models.Model):
    """名单: persons listed by another agency (criminal records, under investigation)."""

    name = models.CharField("名单名称", max_length=100)
    source_agency = models.CharField("提供单位", max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    objects = ExternalListQuerySet.as_manager()

    class Meta:
        verbose_name = "外部名单"
        verbose_name_plural = verbose_name
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.name


class ExternalEntry(models.Model):
    """One person on an external list; the ID number is kept encrypted."""

    external_list = models.ForeignKey(
        ExternalList, verbose_name="名单", on_delete=models.CASCADE, related_name="entries"
    )
    name = models.CharField("姓名", max_length=50)
    id_number_encrypted = models.TextField("身份证号码（密文）", blank=True, editable=False)
    id_number_masked = models.CharField("身份证号码（脱敏）", max_length=18, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "名单人员"
        verbose_name_plural = verbose_name
        ordering = ["external_list", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked or '无身份证号码'}）"


class Source(models.TextChoices):
    CASES = "cases", "案件涉案人员"
    CLUES = "clues", "线索涉及人员"
    EXTERNAL = "external", "外部名单"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "比对中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RunQuerySet(CoveringQuerySet):
    region_field = "region"


class VettingRun(models.Model):
    """比对批次: the active cadres of a region against the chosen sources."""

    region = models.ForeignKey(
        "regions.Region", verbose_name="审查范围", on_delete=models.PROTECT, related_name="+"
    )
    sources = models.JSONField("比对来源", default=list)
    threshold = models.FloatField("入围分数线")
    status = models.CharField(
        "状态", max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    error = models.TextField("失败原因", blank=True)
    cadres_total = models.PositiveIntegerField("审查村干部数", default=0)
    persons_total = models.PositiveIntegerField("比对人员数", default=0)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    #: The weights this run scored with: per field and level, the fitted weight (the
    #: prior) and the one estimated on the run's own pairs (matching.engine.weight_table).
    weights = models.JSONField("本批次估计的比对权重", default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "背景审查比对批次"
        verbose_name_plural = verbose_name
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=1),
                name="vetting_threshold_in_range",
                violation_error_message="入围分数线应在0到1之间。",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="vetting_progress_in_range",
                violation_error_message="进度不能超过100%。",
            ),
        ]

    def __str__(self) -> str:
        return f"背景审查比对 {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def source_labels(self) -> str:
        return "、".join(Source(s).label for s in self.sources)

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class Decision(models.TextChoices):
    PENDING = "pending", "待研判"
    CONFIRMED = "confirmed", "确认命中"
    DISMISSED = "dismissed", "排除"
    UNSURE = "unsure", "存疑待核"


class CandidateQuerySet(ScopedQuerySet):
    region_field = "appointment__region"


class Candidate(models.Model):
    """疑似命中: a cadre and a person who may be the same, with the evidence for it."""

    run = models.ForeignKey(
        VettingRun, verbose_name="比对批次", on_delete=models.CASCADE, related_name="candidates"
    )
    appointment = models.ForeignKey(
        "cadres.Appointment", verbose_name="村干部任职", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name="比中人员",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.ForeignKey(
        ExternalEntry,
        verbose_name="比中名单人员",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matched_name = models.CharField("比中姓名", max_length=50)
    matched_id_masked = models.CharField("比中身份证号码（脱敏）", max_length=18, blank=True)
    score = models.FloatField("相似度")
    evidence = models.JSONField("依据", default=list)
    decision = models.CharField(
        "研判结论", max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField("研判意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("研判时间", null=True, blank=True)
    clue = models.ForeignKey(
        "clues.Clue", verbose_name="生成线索", null=True, on_delete=models.PROTECT, related_name="+"
    )
    adjustment = models.ForeignKey(
        "cadres.Adjustment",
        verbose_name="调整建议",
        null=True,
        on_delete=models.PROTECT,
        related_name="vetting_candidates",
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "背景审查疑似命中"
        verbose_name_plural = verbose_name
        ordering = ["run", "-score", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(entry__isnull=True))
                | (Q(person__isnull=True) & Q(entry__isnull=False)),
                name="vetting_candidate_one_counterpart",
                violation_error_message="疑似命中应对应一名涉案、涉线索人员或一名名单人员。",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False),
                name="vetting_decision_dated",
                violation_error_message="研判结论应有研判时间。",
            ),
            models.CheckConstraint(
                condition=~Q(decision="dismissed") | ~Q(note=""),
                name="vetting_dismissal_has_reason",
                violation_error_message="排除疑似命中须说明理由。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment.person.name} ↔ {self.matched_name}"

    @property
    def evidence_labels(self) -> str:
        from matching.engine import EVIDENCE_LABELS

        return "、".join(EVIDENCE_LABELS.get(e, e) for e in self.evidence)


class DecisionRecordQuerySet(ScopedQuerySet):
    region_field = "candidate__appointment__region"


class DecisionRecord(models.Model):
    """研判记录: one dated decision on a candidate; a change of conclusion is a new row."""

    candidate = models.ForeignKey(
        Candidate, verbose_name="疑似命中", on_delete=models.PROTECT, related_name="records"
    )
    decision = models.CharField("研判结论", max_length=12, choices=Decision.choices)
    previous = models.CharField(
        "原结论", max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField("研判意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="研判人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("研判时间", default=timezone.now)

    objects = DecisionRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "背景审查研判记录"
        verbose_name_plural = verbose_name
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="pending"),
                name="vetting_record_has_decision",
                violation_error_message="研判记录应有研判结论。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate}：{self.get_decision_display()}"


def masked(number: str) -> str:
    return mask(number) if number else ""
