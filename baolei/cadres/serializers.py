"""The shapes of the cadre records in the API: what the lists and details answer (ID
numbers only masked), and what each write reads (the page form's fields and choices,
records limited to what the user may see). Rules are the services' and the policy's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import serializers

from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Attendance,
    BaseLevel,
    Decision,
    Enrolment,
    Evaluation,
    EvaluationCampaign,
    Post,
    Rating,
    Reason,
    SessionKind,
    TrainingBase,
    TrainingSession,
)
from baolei.core.api import DayField
from baolei.people.models import Education, Person
from baolei.regions.models import VILLAGE_LEVELS, Level, Region

#: The levels a duty evaluation covers, as the page's 研判范围 offers them.
CAMPAIGN_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP)


class AppointmentSerializer(serializers.ModelSerializer):
    """Numbers only masked, as everywhere."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "person",
            "person_name",
            "id_number_masked",
            "region",
            "region_name",
            "post",
            "started_on",
            "term_starts_on",
            "term_ends_on",
            "state",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = EvaluationCampaign
        fields = ["id", "name", "region", "period_starts_on", "period_ends_on"]


class EvaluationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="appointment.person.name", read_only=True)
    region = serializers.CharField(source="appointment.region.code", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "campaign",
            "appointment",
            "person_name",
            "region",
            "rating",
            "flagged_incompetent",
            "findings",
            "evaluator",
            "evaluated_on",
        ]


class AdjustmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="appointment.person.name", read_only=True)
    region = serializers.CharField(source="appointment.region.code", read_only=True)
    post = serializers.CharField(source="appointment.post", read_only=True)
    status = serializers.CharField(read_only=True)
    successor_name = serializers.SerializerMethodField()

    class Meta:
        model = Adjustment
        fields = [
            "id",
            "appointment",
            "person_name",
            "region",
            "post",
            "reason",
            "details",
            "evaluation",
            "proposed_on",
            "decision",
            "decided_on",
            "executed_on",
            "successor",
            "successor_name",
            "status",
        ]

    def get_successor_name(self, adjustment: Adjustment) -> str:
        return adjustment.successor.person.name if adjustment.successor else ""


class EnrolmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = serializers.CharField(source="status_label", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "person",
            "person_name",
            "target_level",
            "institution",
            "enrolled_on",
            "expected_on",
            "graduated_on",
            "withdrawn_on",
            "status",
        ]


class TrainingBaseSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = TrainingBase
        fields = ["id", "name", "region", "level", "opened_on"]


class TrainingSessionSerializer(serializers.ModelSerializer):
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ["id", "base", "title", "kind", "starts_on", "ends_on", "attendees"]

    def get_attendees(self, session: TrainingSession) -> int:
        return len(session.attendances.all())


def villages(user: Any) -> QuerySet[Region]:
    return Region.objects.visible_to(user).filter(level__in=VILLAGE_LEVELS)


def people(user: Any) -> QuerySet[Person]:
    return Person.objects.visible_to(user)


class ScopedRequest(serializers.Serializer):
    """A request whose related fields offer only the rows the user may see, as the page's
    pickers do: another record is 400 "不存在", never a leak."""

    #: field name → the rows of the user it may name
    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is None:  # the schema's instance
            return
        for name, rows in self.scoped.items():
            self.fields[name].queryset = rows(user)  # type: ignore[attr-defined]


class AppointRequestSerializer(ScopedRequest):
    """登记任职：人员须已在人员信息中登记（人员编号）；村(社区)以 12 位区划代码指明。"""

    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {
        "person": people,
        "region": villages,
    }

    person = serializers.PrimaryKeyRelatedField(label="人员", queryset=Person.objects.none())
    region = serializers.SlugRelatedField(
        label="村(社区)（12 位区划代码）", slug_field="code", queryset=Region.objects.none()
    )
    post = serializers.ChoiceField(label="职务", choices=Post.choices)
    started_on = DayField(label="任职日期")
    term_starts_on = DayField(label="本届任期起")
    term_ends_on = DayField(label="本届任期止")


class ProposeRequestSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(label="调整原因", choices=Reason.choices)
    details = serializers.CharField(label="具体情况", max_length=4000)
    on = DayField(label="提出日期")


class DecideRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(label="审批意见", choices=Decision.choices)
    on = DayField(label="审批日期")
    note = serializers.CharField(
        label="审批说明（不予批准时必填）",
        required=False,
        allow_blank=True,
        default="",
        max_length=4000,
    )


class ExecuteRequestSerializer(ScopedRequest):
    """执行调整：继任者为已登记的人员（人员编号）；空缺不填。"""

    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {"successor": people}

    on = DayField(label="执行日期")
    successor = serializers.PrimaryKeyRelatedField(
        label="继任者（空缺不填）",
        queryset=Person.objects.none(),
        required=False,
        allow_null=True,
        default=None,
    )


class CampaignRequestSerializer(ScopedRequest):
    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {
        "region": lambda user: Region.objects.visible_to(user).filter(level__in=CAMPAIGN_LEVELS)
    }

    name = serializers.CharField(label="名称", max_length=100)
    region = serializers.SlugRelatedField(
        label="研判范围（市、县(区)或乡镇(街道)的 12 位区划代码）",
        slug_field="code",
        queryset=Region.objects.none(),
    )
    period_starts_on = DayField(label="研判期起")
    period_ends_on = DayField(label="研判期止")


class EvaluateRequestSerializer(ScopedRequest):
    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {
        "appointment": lambda user: Appointment.objects.visible_to(user)
    }

    appointment = serializers.PrimaryKeyRelatedField(
        label="书记（任职编号）", queryset=Appointment.objects.none()
    )
    rating = serializers.ChoiceField(label="研判等次", choices=Rating.choices)
    flagged_incompetent = serializers.BooleanField(
        label="认定不胜任", required=False, default=False
    )
    findings = serializers.CharField(label="研判意见", max_length=4000)
    evaluator = serializers.CharField(label="研判人", max_length=100)
    on = DayField(label="研判日期")


class EnrolRequestSerializer(ScopedRequest):
    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {"person": people}

    person = serializers.PrimaryKeyRelatedField(label="人员", queryset=Person.objects.none())
    target_level = serializers.ChoiceField(
        label="目标学历",
        choices=[(Education.JUNIOR_COLLEGE, "大专"), (Education.UNDERGRADUATE, "本科")],
    )
    institution = serializers.CharField(label="就读院校", max_length=100)
    enrolled_on = DayField(label="入学日期")
    expected_on = DayField(label="预计毕业日期")


class FinishRequestSerializer(serializers.Serializer):
    on = DayField(label="日期")


class OpenBaseRequestSerializer(ScopedRequest):
    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {"region": villages}

    name = serializers.CharField(label="名称", max_length=100)
    region = serializers.SlugRelatedField(
        label="所在村(社区)（12 位区划代码）", slug_field="code", queryset=Region.objects.none()
    )
    level = serializers.ChoiceField(label="级别", choices=BaseLevel.choices)
    opened_on = DayField(label="挂牌日期")


class ScheduleRequestSerializer(serializers.Serializer):
    title = serializers.CharField(label="培训名称", max_length=100)
    kind = serializers.ChoiceField(label="方式", choices=SessionKind.choices)
    starts_on = DayField(label="开始日期")
    ends_on = DayField(label="结束日期")


class AttendRequestSerializer(ScopedRequest):
    """结业 is stated when the trainee has finished, never assumed: absent is 未结业."""

    scoped: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {"person": people}

    person = serializers.PrimaryKeyRelatedField(label="学员", queryset=Person.objects.none())
    completed = serializers.BooleanField(label="结业", required=False, default=False)


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "person", "person_name", "completed"]
