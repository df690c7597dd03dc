"""Relations between people (人员关系) as dated, sourced records: the edges of the
network that 打伞破网 work draws. Only person ↔ person relations are stored here;
a person's part in a case, a clue or a village post is read from those records
themselves (``baolei.network.queries``), never copied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.core.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    KIN = "kin", "亲属"
    SAME_CASE = "same_case", "同案"
    ACCOMPLICE = "accomplice", "同伙"
    EMPLOYMENT = "employment", "雇佣"
    GUARANTEE = "guarantee", "担保"
    FUNDS = "funds", "资金往来"
    BUSINESS = "business", "同一企业或组织"
    CLOSE = "close", "密切交往"
    OTHER = "other", "其他"


#: Details offered for a kinship (the form suggests them; any short text is accepted).
KIN_DETAILS = ("夫妻", "父母子女", "兄弟姐妹", "祖孙", "叔侄", "舅甥", "堂表亲", "姻亲")


class RelationQuerySet(ScopedQuerySet):
    region_field = "region"

    def touching(self, person_ids: object) -> RelationQuerySet:
        """Relations with either end among ``person_ids``."""
        return self.filter(Q(person_a__in=person_ids) | Q(person_b__in=person_ids))


class Relation(models.Model):
    """A relation between two persons, stated once (the lower key first), with its source."""

    person_a = models.ForeignKey(
        "people.Person", verbose_name="人员甲", on_delete=models.PROTECT, related_name="+"
    )
    person_b = models.ForeignKey(
        "people.Person", verbose_name="人员乙", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("关系类型", max_length=16, choices=Kind.choices)
    detail = models.CharField("具体关系", max_length=50, blank=True)
    source = models.CharField("信息来源", max_length=200)
    began_on = models.DateField("关系起始日期", null=True, blank=True, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entering_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="录入单位",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    objects = RelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人员关系"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")),
                name="relation_two_persons_in_order",
                violation_error_message="关系须在两名不同人员之间。",
            ),
            models.UniqueConstraint(
                fields=["person_a", "person_b", "kind"],
                name="relation_once_per_kind",
                violation_error_message="这两人之间已登记同一类型的关系。",
            ),
        ]
        indexes = [models.Index(fields=["person_b", "person_a"], name="relation_by_person_b")]

    def __str__(self) -> str:
        return f"{self.person_a_id}—{self.person_b_id} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        """亲属（兄弟姐妹）: the kind with its detail."""
        label = self.get_kind_display()
        return f"{label}（{self.detail}）" if self.detail else label


class Decision(models.TextChoices):
    PENDING = "pending", "待研判"
    CONFIRMED = "confirmed", "确认同一人"
    DISMISSED = "dismissed", "排除"


class IdentityQuerySet(ScopedQuerySet):
    region_field = "person__region"

    def restrict_for(self, user: object, rows: IdentityQuerySet) -> IdentityQuerySet:
        """Both records must lie in the user's scope."""
        prefix = getattr(user, "scope_prefix", "") or ""
        return rows.filter(other__region__code__under=prefix)


class Identity(models.Model):
    """同一人候选: a person recorded without an ID number and another record the matching
    engine takes for the same person; an analyst confirms or dismisses it, the records
    themselves are never merged."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="无身份证号码的人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    other = models.ForeignKey(
        "people.Person", verbose_name="疑似同一人", on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField("相似度")
    evidence = models.JSONField("依据", default=list)
    decision = models.CharField(
        "研判结论", max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField("研判意见", max_length=500, blank=True)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField("发现时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="研判人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("研判时间", null=True, blank=True)

    objects = IdentityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "同一人候选"
        verbose_name_plural = verbose_name
        ordering = ["decision", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "other"],
                name="identity_once_per_pair",
                violation_error_message="这两条人员记录已列为同一人候选。",
            ),
            models.CheckConstraint(
                condition=~Q(person=F("other")),
                name="identity_two_records",
                violation_error_message="同一人候选须是两条不同的人员记录。",
            ),
            models.CheckConstraint(
                condition=Q(decision=Decision.PENDING, decided_at__isnull=True)
                | (~Q(decision=Decision.PENDING) & Q(decided_at__isnull=False)),
                name="identity_decided_with_date",
                violation_error_message="研判须记录研判时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}≈{self.other_id}"

    @property
    def evidence_labels(self) -> str:
        from matching.engine import EVIDENCE_LABELS

        return "、".join(EVIDENCE_LABELS.get(e, e) for e in self.evidence)
