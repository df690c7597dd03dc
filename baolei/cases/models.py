"""Criminal cases against gangs and evil forces, from investigation to second instance.

Every stage, status change, seizure and disposition is a dated row, so any figure
can be asked for any date and gives the same answer tomorrow."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.core.scoping import ScopedQuerySet


class CaseKind(models.TextChoices):
    GANG = "gang", "黑社会性质组织"
    EVIL_GROUP = "evil_group", "恶势力犯罪集团"
    EVIL_FORCE = "evil_force", "恶势力"
    OTHER = "other", "其他涉黑涉恶"


class Characterisation(models.TextChoices):
    GANG = "gang", "黑社会性质组织"
    EVIL_GROUP = "evil_group", "恶势力犯罪集团"
    EVIL_FORCE = "evil_force", "恶势力"
    NONE = "none", "未认定涉黑涉恶"


class Stage(models.TextChoices):
    FILED = "filed", "立案侦查"
    ARREST_APPROVED = "arrest_approved", "批准逮捕"
    TRANSFERRED = "transferred", "移送审查起诉"
    PROSECUTED = "prosecuted", "提起公诉"
    FIRST_INSTANCE = "first_instance", "一审判决"
    SECOND_INSTANCE = "second_instance", "二审审结"


STAGE_ORDER = {stage: n for n, stage in enumerate(Stage.values)}
#: Stages whose event states a characterisation (charged, found, upheld or amended).
CHARACTERISED = (Stage.PROSECUTED, Stage.FIRST_INSTANCE, Stage.SECOND_INSTANCE)


class Outcome(models.TextChoices):
    UPHELD = "upheld", "维持原判"
    AMENDED = "amended", "改判"
    REMANDED = "remanded", "发回重审"


class CaseQuerySet(ScopedQuerySet):
    region_field = "region"


class Case(models.Model):
    """A gang or evil-force case, led by a police agency."""

    number = models.CharField("案件编号", max_length=60, unique=True)
    name = models.CharField("案件名称", max_length=200)
    kind = models.CharField("案件类型", max_length=16, choices=CaseKind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="案发区划", on_delete=models.PROTECT, related_name="cases"
    )
    lead_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="主办公安机关",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    opened_on = models.DateField("立案日期")
    summary = models.TextField("简要案情", blank=True)
    umbrella_refs = models.JSONField("关联“保护伞”案件（纪检监察案号）", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = verbose_name
        ordering = ["-opened_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def stage_label(self) -> str:
        """The current stage's name, where the query annotated ``stage`` (``with_current_stage``)."""
        stage = getattr(self, "stage", None)
        return Stage(stage).label if stage else ""


class CasePartQuerySet(ScopedQuerySet):
    region_field = "case__region"


class StageEvent(models.Model):
    """A dated step of the case; order and dates are enforced by the service."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    on = models.DateField("日期", db_index=True)
    characterisation = models.CharField(
        "定性", max_length=16, choices=Characterisation.choices, blank=True
    )
    outcome = models.CharField("二审结果", max_length=10, choices=Outcome.choices, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="办理机关", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CasePartQuerySet.as_manager()

    class Meta:
        verbose_name = "案件阶段"
        verbose_name_plural = verbose_name
        ordering = ["case", "on", "recorded_at"]
        # A case's stage on a day is its latest event by then (``with_current_stage``):
        # read off this index, one short descent per case.
        indexes = [models.Index(fields=["case", "-on", "-recorded_at"], name="stage_event_latest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage__in=CHARACTERISED) | ~Q(characterisation=""),
                name="stage_event_characterised",
                violation_error_message="起诉、一审、二审须写明定性。",
            ),
            models.CheckConstraint(
                condition=Q(stage=Stage.SECOND_INSTANCE) | Q(outcome=""),
                name="outcome_only_at_second_instance",
                violation_error_message="只有二审有审结结果。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_stage_display()}"


class SuspectRole(models.TextChoices):
    LEADER = "leader", "组织者、领导者"
    ACTIVE = "active", "积极参加者"
    OTHER = "other", "其他参加者"


class Suspect(models.Model):
    """A person suspected or accused in the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="suspect_roles"
    )
    role = models.CharField("地位作用", max_length=10, choices=SuspectRole.choices)
    sentence = models.CharField("判处刑罚", max_length=200, blank=True)

    objects = CasePartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "犯罪嫌疑人"
        verbose_name_plural = verbose_name
        ordering = ["case", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                name="suspect_once_per_case",
                violation_error_message="该人员已在本案中。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_role_display()}）"


class SuspectStatus(models.TextChoices):
    AT_LARGE = "at_large", "在逃"
    CAUGHT = "caught", "抓获"
    DETAINED = "detained", "刑事拘留"
    ARRESTED = "arrested", "逮捕"
    PROSECUTED = "prosecuted", "起诉"
    SENTENCED = "sentenced", "判决"


class SuspectEvent(models.Model):
    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="events")
    status = models.CharField("状态", max_length=12, choices=SuspectStatus.choices)
    on = models.DateField("日期", db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "嫌疑人状态"
        verbose_name_plural = verbose_name
        ordering = ["suspect", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_status_display()}"


class AssetKind(models.TextChoices):
    CASH = "cash", "现金"
    DEPOSIT = "deposit", "存款"
    REAL_ESTATE = "real_estate", "房产"
    VEHICLE = "vehicle", "车辆"
    EQUITY = "equity", "股权"
    OTHER = "other", "其他"


class Measure(models.TextChoices):
    SEAL = "seal", "查封"
    SEIZE = "seize", "扣押"
    FREEZE = "freeze", "冻结"


class Disposition(models.TextChoices):
    CONFISCATED = "confiscated", "没收"
    RETURNED = "returned", "返还"
    RELEASED = "released", "解除"


class Asset(models.Model):
    """Property sealed, seized or frozen; held until a disposition is dated."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField("财产类型", max_length=12, choices=AssetKind.choices)
    measure = models.CharField("措施", max_length=8, choices=Measure.choices)
    description = models.CharField("财产描述", max_length=200)
    value = models.DecimalField("价值（元）", max_digits=16, decimal_places=2)
    on = models.DateField("采取措施日期", db_index=True)
    disposition = models.CharField("处置", max_length=12, choices=Disposition.choices, blank=True)
    disposed_on = models.DateField("处置日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "涉案财产"
        verbose_name_plural = verbose_name
        ordering = ["case", "on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="asset_value_positive",
                violation_error_message="财产价值须大于 0。",
            ),
            models.CheckConstraint(
                condition=(Q(disposition="") & Q(disposed_on__isnull=True))
                | (~Q(disposition="") & Q(disposed_on__gte=models.F("on"))),
                name="asset_disposition_dated_after_measure",
                violation_error_message="处置须写明日期，且不早于采取措施的日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.description}"


class ConsultationKind(models.TextChoices):
    MAJOR_CASE = "major_case", "重大案件会商"
    PRE_PROSECUTION = "pre_prosecution", "诉前会商"
    JOINT = "joint", "联合会商"


class Dispute(models.TextChoices):
    PHILOSOPHY = "philosophy", "执法理念"
    EVIDENCE = "evidence", "证据采信"
    CHARACTERISATION = "characterisation", "案件定性"
    OTHER = "other", "其他"


class Consultation(models.Model):
    """会商 among police, procuratorate and court on a case in dispute."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField("会商类型", max_length=16, choices=ConsultationKind.choices)
    on = models.DateField("会商日期")
    agencies = models.ManyToManyField("accounts.Agency", verbose_name="参加单位", related_name="+")
    disputes = models.JSONField("分歧点", default=list)
    conclusion = models.TextField("会商意见")
    follow_ups = GenericRelation(
        "ledger.LedgerItem", content_type_field="source_type", object_id_field="source_id"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()

    class Meta:
        verbose_name = "会商"
        verbose_name_plural = verbose_name
        ordering = ["case", "on"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    @property
    def dispute_labels(self) -> str:
        """The points in dispute, by name: 执法理念、证据采信."""
        names = dict(Dispute.choices)
        return "、".join(str(names.get(d, d)) for d in self.disputes)


class EarlyIntervention(models.Model):
    """提前介入 by the procuratorate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    prosecutor = models.CharField("检察官", max_length=50)
    on = models.DateField("介入日期")
    guidance = models.TextField("引导取证意见")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()

    class Meta:
        verbose_name = "提前介入"
        verbose_name_plural = verbose_name
        ordering = ["case", "on"]

    def __str__(self) -> str:
        return f"{self.on} {self.prosecutor}"


class JointSupervision(models.Model):
    """联合督办 of a case, with a deadline and its result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    bodies = models.CharField("督办单位", max_length=200)
    on = models.DateField("督办日期")
    deadline = models.DateField("办结时限")
    result = models.TextField("督办结果", blank=True)
    result_on = models.DateField("结果日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联合督办"
        verbose_name_plural = verbose_name
        ordering = ["case", "on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("on")),
                name="supervision_deadline_after_start",
                violation_error_message="办结时限不能早于督办日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.bodies}"
