"""Supervision (督导): plans, leader assignments, teams, rounds, lagging counties, and the
problem lists whose rectification is tracked as ledger items."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.core.scoping import CoveringQuerySet, ScopedQuerySet


class PlanQuerySet(CoveringQuerySet):
    """A city plan is visible to the counties it covers."""

    region_field = "region"


class PlanPartQuerySet(ScopedQuerySet):
    """A team or round of a plan: visible inside the plan's region, and to the users of
    each county it covers — not to a county it does not cover."""

    region_field = "plan__region"

    def visible_to(self, user: Any) -> PlanPartQuerySet:
        prefix = getattr(user, "scope_prefix", None)
        if not getattr(user, "is_authenticated", False) or prefix is None:
            return self.none()
        covering = self.model.objects.filter(counties__code__under=prefix).values("pk")
        return self.filter(Q(plan__region__code__under=prefix) | Q(pk__in=covering))


class SupervisionPlan(models.Model):
    """督导工作方案."""

    title = models.CharField("方案名称", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="范围", on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField("文号", max_length=60, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    document = models.FileField("方案文件", upload_to="supervision/plans/", blank=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督导方案"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="plan_dates_in_order",
                violation_error_message="结束日期不能早于开始日期。",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CountyScoped(ScopedQuerySet):
    region_field = "county"


class LeaderAssignment(models.Model):
    """联系督导: a city leader in charge of one county."""

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="assignments")
    leader = models.CharField("市领导", max_length=50)
    leader_title = models.CharField("职务", max_length=80, blank=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name="联系县(区)", on_delete=models.PROTECT, related_name="+"
    )

    objects = CountyScoped.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联系督导"
        verbose_name_plural = verbose_name
        ordering = ["county__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "county"],
                name="one_leader_per_county",
                violation_error_message="该县(区)已有联系领导。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.county}"


class Team(models.Model):
    """督导组: a leader, deputies and members covering one or more counties."""

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField("组名", max_length=60)
    leader = models.CharField("组长", max_length=50)
    deputy = models.CharField("副组长", max_length=50, blank=True)
    members = models.JSONField("成员", default=list, blank=True)
    counties = models.ManyToManyField("regions.Region", verbose_name="督导县(区)", related_name="+")

    objects = PlanPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督导组"
        verbose_name_plural = verbose_name
        ordering = ["plan", "name"]

    def __str__(self) -> str:
        return self.name


class SupervisionRound(models.Model):
    """One round of supervision (第N轮专项督导)."""

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField("轮次")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    teams = models.ManyToManyField(Team, verbose_name="参加督导组", related_name="rounds")
    counties = models.ManyToManyField("regions.Region", verbose_name="督导县(区)", related_name="+")

    objects = PlanPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督导轮次"
        verbose_name_plural = verbose_name
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="round_number_once",
                violation_error_message="该轮次编号已存在。",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="sround_dates_in_order",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}轮专项督导"


class LaggingCounty(models.Model):
    """后进地区: a county designated for remediation, its tasks tracked as ledger items."""

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="lagging")
    county = models.ForeignKey(
        "regions.Region", verbose_name="县(区)", on_delete=models.PROTECT, related_name="+"
    )
    designated_on = models.DateField("确定日期")
    reason = models.TextField("原因")
    remediation_plan = models.CharField("整改提升方案", max_length=200)
    tasks = GenericRelation(
        "ledger.LedgerItem", content_type_field="source_type", object_id_field="source_id"
    )

    objects = CountyScoped.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "后进地区"
        verbose_name_plural = verbose_name
        ordering = ["-designated_on"]

    def __str__(self) -> str:
        return f"{self.county}（后进地区）"


class ProblemSource(models.TextChoices):
    CENTRAL = "central", "中央督导组反馈"
    PROVINCIAL = "provincial", "省级督导反馈"
    CITY_ROUND = "city_round", "市级督导"
    SELF_INSPECTION = "self_inspection", "自查"


class ProblemScope(models.TextChoices):
    COMMON = "common", "共性问题"
    INDIVIDUAL = "individual", "个性问题"


class ProblemStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "已完成整改"
    DONE_LONG_TERM = "done_long_term", "已完成（长期坚持）"


class ProblemQuerySet(ScopedQuerySet):
    region_field = "region"

    def visible_to(self, user: Any) -> ProblemQuerySet:
        """A problem is visible in its region and to every unit that answers for part of it."""
        prefix = getattr(user, "scope_prefix", None)
        if not getattr(user, "is_authenticated", False) or prefix is None:
            return self.none()
        return self.filter(
            Q(region__code__under=prefix) | Q(items__region__code__under=prefix)
        ).distinct()


class Problem(models.Model):
    """A problem on a list (问题清单); its status is derived from its ledger items."""

    source = models.CharField("来源", max_length=20, choices=ProblemSource.choices)
    round = models.ForeignKey(
        SupervisionRound,
        verbose_name="督导轮次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    scope = models.CharField("类型", max_length=12, choices=ProblemScope.choices)
    number = models.CharField("编号", max_length=30)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("问题描述")
    measures = models.JSONField("整改措施", default=list, blank=True)
    deadline = models.DateField("整改时限")
    received_on = models.DateField("反馈日期")
    items = GenericRelation(
        "ledger.LedgerItem",
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="problem",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProblemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题清单"
        verbose_name_plural = verbose_name
        ordering = ["source", "scope", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"],
                name="problem_number_once_per_source",
                violation_error_message="同一来源下问题编号重复。",
            ),
            models.CheckConstraint(
                condition=~Q(source="city_round") | Q(round__isnull=False),
                name="city_round_problem_has_round",
                violation_error_message="市级督导问题须注明督导轮次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:20]}"


class Recurrence(models.Model):
    """反弹: a done problem that came back; the earlier completion date is kept."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="recurrences")
    on = models.DateField("反弹日期")
    reason = models.TextField("情况")
    previous_done_on = models.DateField("此前完成日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "问题反弹"
        verbose_name_plural = verbose_name
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.problem.number} {self.on} 反弹"
