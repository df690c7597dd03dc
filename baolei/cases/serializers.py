"""The shapes of the case writes through the API: what each action reads (with the
page form's choices, scoped to the user) and what it answers. Rules are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from baolei.accounts.models import Agency, AgencyKind
from baolei.cases.models import (
    Asset,
    AssetKind,
    Case,
    CaseKind,
    Characterisation,
    Consultation,
    ConsultationKind,
    Disposition,
    Dispute,
    EarlyIntervention,
    JointSupervision,
    Measure,
    Outcome,
    Stage,
    StageEvent,
    Suspect,
    SuspectEvent,
    SuspectRole,
    SuspectStatus,
)
from baolei.core.api import DayField
from baolei.people.models import Person
from baolei.regions.models import Region

#: The agencies that may take part in a consultation (as the page offers them).
CONSULTING = [
    AgencyKind.POLICE,
    AgencyKind.PROCURATORATE,
    AgencyKind.COURT,
    AgencyKind.POLITICAL_LEGAL,
]


class OpenCaseSerializer(serializers.Serializer):
    """立案登记：与立案页面同样的字段；区划与主办公安机关只能选本人可见范围内的。"""

    number = serializers.CharField(label="案件编号", max_length=60)
    name = serializers.CharField(label="案件名称", max_length=200)
    kind = serializers.ChoiceField(label="案件类型", choices=CaseKind.choices)
    region = serializers.SlugRelatedField(
        label="案发区划（12 位区划代码）", slug_field="code", queryset=Region.objects.none()
    )
    lead_agency = serializers.PrimaryKeyRelatedField(
        label="主办公安机关", queryset=Agency.objects.none()
    )
    opened_on = DayField(label="立案日期")
    summary = serializers.CharField(
        label="简要案情", required=False, allow_blank=True, default="", max_length=4000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is None:  # the schema's instance
            return
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["lead_agency"].queryset = Agency.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            kind=AgencyKind.POLICE
        )


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(label="阶段", choices=Stage.choices)
    on = DayField(label="日期")
    characterisation = serializers.ChoiceField(
        label="定性（起诉、一审、二审必填）",
        choices=Characterisation.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    outcome = serializers.ChoiceField(
        label="二审结果（仅二审审结）",
        choices=Outcome.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    note = serializers.CharField(
        label="说明", required=False, allow_blank=True, default="", max_length=2000
    )


class SuspectRequestSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(label="人员", queryset=Person.objects.none())
    role = serializers.ChoiceField(label="地位作用", choices=SuspectRole.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["person"].queryset = Person.objects.visible_to(self.context["user"])  # type: ignore[attr-defined]


class SuspectSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.id_number_masked", read_only=True)

    class Meta:
        model = Suspect
        fields = ["id", "case", "person", "name", "id_number", "role", "sentence"]


class AssetRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="财产类型", choices=AssetKind.choices)
    measure = serializers.ChoiceField(label="措施", choices=Measure.choices)
    description = serializers.CharField(label="财产描述", max_length=200)
    value = serializers.DecimalField(
        label="价值（元）", max_digits=16, decimal_places=2, min_value=Decimal("0.01")
    )
    on = DayField(label="日期")


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = [
            "id",
            "case",
            "kind",
            "measure",
            "description",
            "value",
            "on",
            "disposition",
            "disposed_on",
        ]


class StageEventSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = StageEvent
        fields = ["id", "case", "case_number", "stage", "on", "characterisation", "outcome", "note"]


class BulkStageSerializer(serializers.Serializer):
    """One stage of a bulk push: the case by its number (案件编号)."""

    case = serializers.SlugRelatedField(
        label="案件编号", slug_field="number", queryset=Case.objects.none()
    )
    stage = serializers.ChoiceField(label="阶段", choices=Stage.choices)
    date = DayField(label="日期")
    characterisation = serializers.ChoiceField(
        label="定性（起诉、一审、二审必填）",
        choices=Characterisation.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    outcome = serializers.ChoiceField(
        label="二审结果（仅二审审结）",
        choices=Outcome.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    note = serializers.CharField(
        label="说明", required=False, allow_blank=True, default="", max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance
            self.fields["case"].queryset = Case.objects.visible_to(self.context["user"])  # type: ignore[attr-defined]


class SuspectStatusRequestSerializer(serializers.Serializer):
    suspect = serializers.PrimaryKeyRelatedField(
        label="本案犯罪嫌疑人", queryset=Suspect.objects.none()
    )
    status = serializers.ChoiceField(label="状态", choices=SuspectStatus.choices)
    on = DayField(label="日期")
    sentence = serializers.CharField(
        label="判处刑罚", required=False, allow_blank=True, default="", max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "record" in self.context:  # not the schema's instance: this case's suspects
            self.fields["suspect"].queryset = self.context["record"].suspects.all()  # type: ignore[attr-defined]


class SuspectEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuspectEvent
        fields = ["id", "suspect", "status", "on"]


class DisposeRequestSerializer(serializers.Serializer):
    asset = serializers.PrimaryKeyRelatedField(label="本案涉案财产", queryset=Asset.objects.none())
    disposition = serializers.ChoiceField(label="处置", choices=Disposition.choices)
    on = DayField(label="日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "record" in self.context:  # not the schema's instance: this case's assets
            self.fields["asset"].queryset = self.context["record"].assets.all()  # type: ignore[attr-defined]


class ConsultationRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="会商类型", choices=ConsultationKind.choices)
    on = DayField(label="日期")
    agencies = serializers.PrimaryKeyRelatedField(
        label="参加单位", many=True, queryset=Agency.objects.none()
    )
    disputes = serializers.ListField(
        label="分歧点", child=serializers.ChoiceField(choices=Dispute.choices), allow_empty=False
    )
    conclusion = serializers.CharField(label="会商意见", max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # not the schema's instance: as the page's choices
            agencies = self.fields["agencies"]
            agencies.child_relation.queryset = Agency.objects.visible_to(  # type: ignore[attr-defined]
                self.context["user"]
            ).filter(kind__in=CONSULTING)


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", "case", "kind", "on", "agencies", "disputes", "conclusion"]


class InterventionRequestSerializer(serializers.Serializer):
    prosecutor = serializers.CharField(label="检察官", max_length=50)
    on = DayField(label="介入日期")
    guidance = serializers.CharField(label="引导取证意见", max_length=4000)


class InterventionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EarlyIntervention
        fields = ["id", "case", "prosecutor", "on", "guidance"]


class SupervisionRequestSerializer(serializers.Serializer):
    bodies = serializers.CharField(label="督办单位", max_length=200)
    on = DayField(label="督办日期")
    deadline = DayField(label="办结时限")


class JointSupervisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = JointSupervision
        fields = ["id", "case", "bodies", "on", "deadline", "result", "result_on"]
