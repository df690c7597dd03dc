"""The shapes of the screening writes through the API: what each action reads, with the
page form's choices (the round's negative-list version, the user's regions). Rules are
the policy's and the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from baolei.accounts.models import AgencyKind
from baolei.core.api import DayField
from baolei.regions.models import Level, Region
from baolei.screening.models import (
    DEFAULT_REVIEWERS,
    Decision,
    NegativeList,
    NegativeListItem,
    Proposal,
)


@extend_schema_field({"allOf": [{"$ref": "#/components/schemas/AgencyKindEnum"}]})
class AgencyKindField(serializers.ChoiceField):
    """An agency kind documented as the agencies' own enum: one set of choices under two
    components would otherwise rename the enum for every client."""


class HitRequestSerializer(serializers.Serializer):
    item = serializers.CharField(label="负面清单条目序号（本轮使用的清单版本）", max_length=10)
    note = serializers.CharField(label="具体情况", max_length=1000, allow_blank=True)


class ResultRequestSerializer(serializers.Serializer):
    """研判结果：命中的负面清单条目（每条写明具体情况）、处理建议、档案核查。"""

    proposal = serializers.ChoiceField(
        label="处理建议（flag 建议列入，clear 不列入）", choices=Proposal.choices
    )
    hits = HitRequestSerializer(label="命中条目", many=True, required=False, default=list)
    checked_by = serializers.CharField(
        label="档案核查人", max_length=50, required=False, allow_blank=True, default=""
    )
    checked_on = DayField(label="核查日期", required=False, allow_null=True, default=None)
    findings = serializers.CharField(
        label="核查发现", max_length=4000, required=False, allow_blank=True, default=""
    )

    def validate_hits(self, hits: list[dict[str, str]]) -> list[tuple[NegativeListItem, str]]:
        """Each code once, of the round's list version, with its own facts (as the page)."""
        screening = self.context.get("record")
        if screening is None:
            return []
        items = {i.code: i for i in screening.round.negative_list.items.all()}
        found: list[tuple[NegativeListItem, str]] = []
        errors: list[str] = []
        for hit in hits:
            code, note = hit["item"], hit["note"].strip()
            if code not in items:
                errors.append(f"第 {code} 条不在本轮使用的负面清单中。")
            elif not note:
                errors.append(f"请写明第 {code} 条的具体情况。")
            elif any(item.code == code for item, _ in found):
                errors.append(f"第 {code} 条重复。")
            else:
                found.append((items[code], note))
        if errors:
            raise serializers.ValidationError(errors)
        return found

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if (data["checked_by"] or data["findings"]) and not data["checked_on"]:
            raise serializers.ValidationError({"checked_on": "请填写档案核查日期。"})
        return data


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(label="意见", choices=Decision.choices)
    reason = serializers.CharField(
        label="理由（不同意须写明）", max_length=4000, required=False, allow_blank=True, default=""
    )


class ChangeRequestSerializer(serializers.Serializer):
    on = DayField(label="日期")
    reason = serializers.CharField(label="理由", max_length=4000)


class OpenRoundSerializer(serializers.Serializer):
    """启动排查：排查对象为范围内全部村(社区)党组织，启动时确定。"""

    name = serializers.CharField(label="轮次名称", max_length=100)
    region = serializers.SlugRelatedField(
        label="排查范围（12 位区划代码：市、县(区)或乡镇）",
        slug_field="code",
        queryset=Region.objects.none(),
    )
    negative_list = serializers.PrimaryKeyRelatedField(
        label="负面清单版本", queryset=NegativeList.objects.all()
    )
    starts_on = DayField(label="开始日期")
    ends_on = DayField(label="结束日期")
    minimum_ratio = serializers.DecimalField(
        label="最低比例（0.1 即 10%）",
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        required=False,
        default=Decimal("0.100"),
    )
    required_reviewers = serializers.ListField(
        label="联审部门（单位类别）",
        child=AgencyKindField(choices=AgencyKind.choices),
        allow_empty=False,
        max_length=len(AgencyKind.choices),
        required=False,
        default=lambda: list(DEFAULT_REVIEWERS),
    )
    plan_days = serializers.IntegerField(
        label="整顿期限（天）", min_value=1, max_value=1095, required=False, default=180
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["region"].queryset = Region.objects.visible_to(  # type: ignore[attr-defined]
                self.context["user"]
            ).filter(level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["ends_on"] < data["starts_on"]:
            raise serializers.ValidationError({"ends_on": "结束日期不能早于开始日期。"})
        return data


class CloseRequestSerializer(serializers.Serializer):
    on = DayField(label="结束日期")
    justification = serializers.CharField(
        label="书面说明（未达比例时由领导填写）",
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
    )
