"""The shapes of the supervision writes through the API: what each action reads, with
the page form's choices scoped to the user (or to the plan), as lists where the page
takes lines. Rules are the policy's and the services'."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from baolei.accounts.models import Agency
from baolei.core.api import DayField
from baolei.regions.models import Level, Region
from baolei.supervision.forms import counties_of
from baolei.supervision.models import (
    ProblemScope,
    ProblemSource,
    SupervisionRound,
    Team,
)

#: The page's words when a city round's problem names no round (ProblemForm.clean).
ROUND_REQUIRED = "市级督导发现的问题须选择督导轮次。"


def units_field(label: str) -> Any:
    return serializers.PrimaryKeyRelatedField(
        label=label, many=True, allow_empty=False, queryset=Agency.objects.none()
    )


def scope_units(form: serializers.Serializer) -> None:
    """Responsible units among the agencies the user sees, as the page's picker."""
    if "user" in form.context:  # not the schema's instance
        units = form.fields["units"]
        units.child_relation.queryset = Agency.objects.visible_to(form.context["user"])  # type: ignore[attr-defined]


class ProblemRequestSerializer(serializers.Serializer):
    """登记督导问题：与登记页面同样的字段；整改措施为列表（页面每行一条）；每个责任单位
    生成一条台账事项。"""

    source = serializers.ChoiceField(label="来源", choices=ProblemSource.choices)  # type: ignore[assignment]
    round = serializers.PrimaryKeyRelatedField(
        label="督导轮次（市级督导问题必填）",
        queryset=SupervisionRound.objects.none(),
        required=False,
        allow_null=True,
        default=None,
    )
    scope = serializers.ChoiceField(label="类型", choices=ProblemScope.choices)
    number = serializers.CharField(label="编号", max_length=30)
    description = serializers.CharField(label="问题描述", max_length=4000)
    measures = serializers.ListField(
        label="整改措施",
        child=serializers.CharField(max_length=500),
        required=False,
        default=list,
        max_length=50,
    )
    units = units_field("责任单位")
    responsible_person = serializers.CharField(label="责任人", max_length=50)
    received_on = DayField(label="反馈日期")
    deadline = DayField(label="整改时限")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_units(self)
        if "user" in self.context:
            self.fields["round"].queryset = SupervisionRound.objects.visible_to(  # type: ignore[attr-defined]
                self.context["user"]
            )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("source") == ProblemSource.CITY_ROUND and not data.get("round"):
            raise serializers.ValidationError({"round": ROUND_REQUIRED})
        return data


class ReopenRequestSerializer(serializers.Serializer):
    on = DayField(label="反弹日期")
    reason = serializers.CharField(label="反弹情况", max_length=4000)
    units = units_field("责任单位")
    responsible_person = serializers.CharField(label="责任人", max_length=50)
    deadline = DayField(label="整改时限")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_units(self)


class PlanRequestSerializer(serializers.Serializer):
    """制定督导方案：范围为本人可见的市或县(区)。"""

    title = serializers.CharField(label="方案名称", max_length=200)
    document_number = serializers.CharField(
        label="文号", max_length=60, required=False, allow_blank=True, default=""
    )
    region = serializers.SlugRelatedField(
        label="范围（12 位区划代码，市或县(区)）", slug_field="code", queryset=Region.objects.none()
    )
    starts_on = DayField(label="开始日期")
    ends_on = DayField(label="结束日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["region"].queryset = Region.objects.visible_to(  # type: ignore[attr-defined]
                self.context["user"]
            ).filter(level__in=[Level.CITY, Level.COUNTY])


def county_field(label: str) -> Any:
    return serializers.SlugRelatedField(
        label=f"{label}（12 位区划代码）", slug_field="code", queryset=Region.objects.none()
    )


def counties_field(label: str) -> Any:
    return serializers.SlugRelatedField(
        label=f"{label}（12 位区划代码）",
        slug_field="code",
        many=True,
        allow_empty=False,
        queryset=Region.objects.none(),
    )


def plan_counties(form: serializers.Serializer, name: str) -> None:
    """The counties of the plan's region, as the page's choices."""
    plan = form.context.get("record")
    if plan is None:  # the schema's instance
        return
    field: Any = form.fields[name]
    target = field.child_relation if hasattr(field, "child_relation") else field
    target.queryset = counties_of(plan)


class AssignmentRequestSerializer(serializers.Serializer):
    leader = serializers.CharField(label="市领导", max_length=50)
    leader_title = serializers.CharField(
        label="职务", max_length=80, required=False, allow_blank=True, default=""
    )
    county = county_field("联系县(区)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_counties(self, "county")


class TeamRequestSerializer(serializers.Serializer):
    name = serializers.CharField(label="组名", max_length=60)
    leader = serializers.CharField(label="组长", max_length=50)
    deputy = serializers.CharField(
        label="副组长", max_length=50, required=False, allow_blank=True, default=""
    )
    members = serializers.ListField(
        label="成员",
        child=serializers.CharField(max_length=50),
        required=False,
        default=list,
        max_length=100,
    )
    counties = counties_field("督导县(区)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_counties(self, "counties")


class SupervisionRoundRequestSerializer(serializers.Serializer):
    number = serializers.IntegerField(label="轮次", min_value=1, max_value=1000)
    starts_on = DayField(label="开始日期")
    ends_on = DayField(label="结束日期")
    teams = serializers.PrimaryKeyRelatedField(
        label="参加督导组（本方案的督导组）",
        many=True,
        allow_empty=False,
        queryset=Team.objects.none(),
    )
    counties = counties_field("督导县(区)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_counties(self, "counties")
        plan = self.context.get("record")
        if plan is not None:
            self.fields["teams"].child_relation.queryset = plan.teams.all()  # type: ignore[attr-defined]


class LaggingRequestSerializer(serializers.Serializer):
    county = county_field("县(区)")
    on = DayField(label="确定日期")
    reason = serializers.CharField(label="原因", max_length=4000)
    remediation_plan = serializers.CharField(label="整改提升方案", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_counties(self, "county")
