"""The shapes of the coordination writes through the API: what each action reads, with
the page form's choices scoped to the user. Rules are the policy's and the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from baolei.accounts.models import Agency
from baolei.coordination.models import (
    Indicator,
    ManualScore,
    MechanismKind,
    MechanismStatus,
    MeetingCadence,
    MeetingKind,
    Metric,
)
from baolei.core.api import DayField
from baolei.regions.models import Level, Region


def read_enum(component: str) -> dict[str, Any]:
    """A request's choices documented as the read side's enum component: one set of
    choices under two components would otherwise rename the enum for every client."""
    return {"allOf": [{"$ref": f"#/components/schemas/{component}"}]}


@extend_schema_field(read_enum("MeetingKindEnum"))
class MeetingKindField(serializers.ChoiceField):
    pass


@extend_schema_field(read_enum("MechanismKindEnum"))
class MechanismKindField(serializers.ChoiceField):
    pass


@extend_schema_field(read_enum("MechanismStatusEnum"))
class MechanismStatusField(serializers.ChoiceField):
    pass


def regions_of(user: Any, *levels: str) -> Any:
    return Region.objects.visible_to(user).filter(level__in=levels)


class MeetingRequestSerializer(serializers.Serializer):
    """登记会议：与登记页面同样的字段；层级与单位只能选本人可见范围内的。"""

    kind = MeetingKindField(label="会议类型", choices=MeetingKind.choices)
    held_on = DayField(label="召开日期")
    topic = serializers.CharField(label="议题", max_length=200)
    region = serializers.SlugRelatedField(
        label="层级（12 位区划代码：市、县(区)或乡镇）",
        slug_field="code",
        queryset=Region.objects.none(),
    )
    convener = serializers.PrimaryKeyRelatedField(label="召集单位", queryset=Agency.objects.none())
    attendees = serializers.PrimaryKeyRelatedField(
        label="参会单位", many=True, required=False, queryset=Agency.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is None:  # the schema's instance
            return
        agencies = Agency.objects.visible_to(user)
        self.fields["region"].queryset = regions_of(  # type: ignore[attr-defined]
            user, Level.CITY, Level.COUNTY, Level.TOWNSHIP
        )
        self.fields["convener"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["attendees"].child_relation.queryset = agencies  # type: ignore[attr-defined]


class DecisionRequestSerializer(serializers.Serializer):
    """会议决定事项：列入台账，由责任单位在时限内落实。"""

    title = serializers.CharField(label="决定事项", max_length=200)
    owner = serializers.PrimaryKeyRelatedField(label="责任单位", queryset=Agency.objects.none())
    responsible_person = serializers.CharField(label="责任人", max_length=50)
    deadline = DayField(label="落实时限")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["owner"].queryset = Agency.objects.visible_to(self.context["user"])  # type: ignore[attr-defined]


class MechanismRequestSerializer(serializers.Serializer):
    """登记制度机制：可由多个单位联合印发。"""

    title = serializers.CharField(label="名称", max_length=200)
    document_number = serializers.CharField(
        label="文号", max_length=60, required=False, allow_blank=True, default=""
    )
    region = serializers.SlugRelatedField(
        label="层级（12 位区划代码：市或县(区)）", slug_field="code", queryset=Region.objects.none()
    )
    issuers = serializers.PrimaryKeyRelatedField(
        label="印发单位", many=True, allow_empty=False, queryset=Agency.objects.none()
    )
    issued_on = DayField(label="印发日期")
    kind = MechanismKindField(label="类别", choices=MechanismKind.choices)
    status = MechanismStatusField(label="状态", choices=MechanismStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is None:  # the schema's instance
            return
        self.fields["region"].queryset = regions_of(user, Level.CITY, Level.COUNTY)  # type: ignore[attr-defined]
        self.fields["issuers"].child_relation.queryset = Agency.objects.visible_to(user)  # type: ignore[attr-defined]


class ScoreRequestSerializer(serializers.Serializer):
    """人工评分：本方案的一项人工评分指标，给一个县(区)打分并写明理由。"""

    indicator = serializers.PrimaryKeyRelatedField(
        label="本方案的指标", queryset=Indicator.objects.none()
    )
    county = serializers.SlugRelatedField(
        label="县(区)（12 位区划代码）", slug_field="code", queryset=Region.objects.none()
    )
    score = serializers.DecimalField(label="得分", max_digits=6, decimal_places=2)
    reason = serializers.CharField(label="评分理由", max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, scheme = self.context.get("user"), self.context.get("record")
        if user is None or scheme is None:  # the schema's instance
            return
        self.fields["indicator"].queryset = scheme.indicators.all()  # type: ignore[attr-defined]
        self.fields["county"].queryset = regions_of(user, Level.COUNTY)  # type: ignore[attr-defined]


class ManualScoreSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = ManualScore
        fields = ["id", "indicator", "county", "county_name", "score", "reason"]


class CadenceRequestSerializer(serializers.Serializer):
    """会议频次要求：某类会议在某区划至少每隔多少天召开一次，逾期即提示。"""

    kind = MeetingKindField(label="会议类型", choices=MeetingKind.choices)
    region = serializers.SlugRelatedField(
        label="适用区划（12 位区划代码：市或县(区)）",
        slug_field="code",
        queryset=Region.objects.none(),
    )
    every_days = serializers.IntegerField(label="至少每隔（天）", min_value=1, max_value=366)
    since = DayField(label="起算日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["region"].queryset = regions_of(  # type: ignore[attr-defined]
                self.context["user"], Level.CITY, Level.COUNTY
            )


class CadenceSerializer(serializers.ModelSerializer):
    kind = MeetingKindField(choices=MeetingKind.choices, read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = MeetingCadence
        fields = ["id", "kind", "region", "every_days", "since"]


class IndicatorRequestSerializer(serializers.Serializer):
    name = serializers.CharField(label="指标", max_length=100)
    points = serializers.DecimalField(
        label="分值", max_digits=6, decimal_places=2, min_value=Decimal("0.01")
    )
    metric = serializers.ChoiceField(label="计分方式", choices=Metric.choices)
    per_occurrence = serializers.DecimalField(
        label="每次扣分（按次扣分的指标）",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        default=Decimal("0"),
    )


class SchemeRequestSerializer(serializers.Serializer):
    """制定考核方案：考核期与各项指标（按顺序），计分方式见枚举。"""

    name = serializers.CharField(label="方案名称", max_length=200)
    region = serializers.SlugRelatedField(
        label="范围（12 位区划代码：市或县(区)）", slug_field="code", queryset=Region.objects.none()
    )
    starts_on = DayField(label="考核期起")
    ends_on = DayField(label="考核期止")
    indicators = IndicatorRequestSerializer(  # type: ignore[call-arg]
        label="指标", many=True, allow_empty=False, max_length=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["region"].queryset = regions_of(  # type: ignore[attr-defined]
                self.context["user"], Level.CITY, Level.COUNTY
            )

    def validate_indicators(
        self, rows: list[dict[str, Any]]
    ) -> list[tuple[str, Decimal, str, Decimal]]:
        """As the service takes them: (name, points, metric, deduction per occurrence)."""
        return [(r["name"], r["points"], r["metric"], r["per_occurrence"]) for r in rows]
