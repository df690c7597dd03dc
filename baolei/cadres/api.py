"""Cadre API: roster, evaluation campaigns and results, adjustments with their summary by
reason and county, education upgrade, training bases and sessions; and the writes the
cadre pages make (appoint, open a campaign and evaluate, propose, decide and execute an
adjustment, enrol and finish, open a base, schedule a session, record attendance), through
the same services and the same rules."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, ClassVar, cast

import django_filters
from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.cadres import queries, services
from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Enrolment,
    Evaluation,
    EvaluationCampaign,
    Post,
    Rating,
    Reason,
    TrainingBase,
    TrainingSession,
)
from baolei.cadres.serializers import (
    AdjustmentSerializer,
    AppointmentSerializer,
    AppointRequestSerializer,
    AttendanceSerializer,
    AttendRequestSerializer,
    CampaignRequestSerializer,
    CampaignSerializer,
    DecideRequestSerializer,
    EnrolmentSerializer,
    EnrolRequestSerializer,
    EvaluateRequestSerializer,
    EvaluationSerializer,
    ExecuteRequestSerializer,
    FinishRequestSerializer,
    OpenBaseRequestSerializer,
    ProposeRequestSerializer,
    ScheduleRequestSerializer,
    TrainingBaseSerializer,
    TrainingSessionSerializer,
)
from baolei.core import params
from baolei.core.api import (
    PERIOD_PARAMETERS,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    counts_schema,
    example,
)
from baolei.core.filters import FilterSet
from baolei.core.views_base import require
from baolei.people.models import Person


class ScopedWritableViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """A list and detail that also take a POST creating a record (``create``, whose rule
    is asked by ``require`` as the page's create form asks it)."""

    def created(
        self,
        request: Request,
        rule: str,
        form_class: Any,
        run: Any,
        refusal: dict[str, Any] | None = None,
    ) -> Any:
        """A create as its page does it: the rule (403 before the body is read, in the
        security log with the page's ``refusal`` detail), the body through the action's
        serializer (records limited to what the user may see), then the page's service
        with the user as actor."""
        require(request, rule, None, refusal)
        form = form_class(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        return run(actor=cast(User, request.user), **form.validated_data)

    def answer(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        """The record as the list and detail show it."""
        found = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(found).data, status=code)


class AppointmentApiFilter(FilterSet):
    post = django_filters.ChoiceFilter(choices=Post.choices)
    state = django_filters.ChoiceFilter(choices=list(queries.STATE_LABELS.items()))
    region = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = Appointment
        fields = ["post", "state", "region"]


def appoint(*, actor: User, person: Person, **data: Any) -> Appointment:
    """登记任职 of a person on record. The appointment page finds the person by ID number
    and refuses one already in office (importing.existing_person); so does this."""
    held = (
        queries.in_office(Appointment.objects.filter(person=person))
        .select_related("region")
        .first()
    )
    if held is not None:
        raise ValidationError(
            {
                "person": f"该人员已在名册中：{held.region.name} {held.get_post_display()} "
                f"{person.name}（任职编号 {held.pk}）"
            }
        )
    return services.appoint(actor=actor, person=person, **data)


class AppointmentViewSet(ScopedWritableViewSet):
    """村干部名册（任职）；``state`` 为今天的状态：serving 在任、expired 届满待换届、removed 已调整离任。
    POST 登记任职（人员须已登记，按人员编号指明）；``propose`` 对在任者提出调整，与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"propose": "cadres.propose"}

    record_name = "appointment"
    queryset = Appointment.objects.select_related("person", "region")
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentApiFilter
    ordering_fields = ["started_on", "region__code"]
    ordering = ["region__code", "post"]
    search_fields = ["person__name", "region__name"]

    def get_queryset(self) -> Any:
        return queries.with_state(super().get_queryset())

    @extend_schema(
        request=AppointRequestSerializer,
        responses={201: AppointmentSerializer},
        examples=example(
            "登记村党组织书记",
            {
                "person": 42,
                "region": "510121100200",
                "post": "secretary",
                "started_on": "2026-11-20",
                "term_starts_on": "2024-03-01",
                "term_ends_on": "2029-02-28",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        done = self.created(request, "cadres.appoint", AppointRequestSerializer, appoint)
        return self.answer(done, status.HTTP_201_CREATED)

    @extend_schema(
        request=ProposeRequestSerializer,
        responses={201: AdjustmentSerializer},
        examples=example(
            "研判不胜任，提出调整",
            {
                "reason": "incompetent",
                "details": "年度履职研判为不称职，群众反映强烈",
                "on": "2026-11-24",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, ProposeRequestSerializer, services.propose_adjustment)
        return Response(AdjustmentSerializer(done).data, status=status.HTTP_201_CREATED)


class CoverageSerializer(serializers.Serializer):
    """Evaluated secretaries over all in scope, for a county or in total (schema only)."""

    code = serializers.CharField(help_text="县(区)代码前6位；合计为空")
    name = serializers.CharField()
    secretaries = serializers.IntegerField()
    evaluated = serializers.IntegerField()
    ratings = counts_schema("RatingCounts", Rating.values)


class CampaignCoverageSerializer(serializers.Serializer):
    total = CoverageSerializer()
    counties = CoverageSerializer(many=True)


class CampaignViewSet(ScopedWritableViewSet):
    """履职研判；``coverage`` 给出各县(区)已研判 / 范围内全部书记。POST 启动履职研判；
    ``evaluate`` 登记一名书记的研判结果（不称职或认定不胜任的自动提出调整建议），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"evaluate": "cadres.evaluate"}

    record_name = "campaign"
    queryset = EvaluationCampaign.objects.select_related("region")
    serializer_class = CampaignSerializer
    ordering = ["-period_starts_on"]

    @extend_schema(
        request=CampaignRequestSerializer,
        responses={201: CampaignSerializer},
        examples=example(
            "启动县级年度履职研判",
            {
                "name": "甲县2026年度村党组织书记履职研判",
                "region": "510121000000",
                "period_starts_on": "2026-01-01",
                "period_ends_on": "2026-12-31",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        done = self.created(
            request, "cadres.open_campaign", CampaignRequestSerializer, services.open_campaign
        )
        return self.answer(done, status.HTTP_201_CREATED)

    @extend_schema(
        request=EvaluateRequestSerializer,
        responses={201: EvaluationSerializer},
        examples=example(
            "研判为称职",
            {
                "appointment": 17,
                "rating": "competent",
                "flagged_incompetent": False,
                "findings": "带头落实扫黑除恶各项任务，群众满意度高",
                "evaluator": "甲县一镇党委",
                "on": "2026-11-24",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, EvaluateRequestSerializer, services.record_evaluation)
        return Response(EvaluationSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CampaignCoverageSerializer)
    @action(detail=True, methods=["get"])
    def coverage(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        total, counties = queries.campaign_coverage(self.get_object(), request.user)
        return Response({"total": total.as_dict(), "counties": [c.as_dict() for c in counties]})


class EvaluationViewSet(ScopedReadOnlyViewSet):
    """研判结果。"""

    queryset = Evaluation.objects.select_related("appointment__person", "appointment__region")
    serializer_class = EvaluationSerializer
    filterset_fields = ["campaign", "rating"]
    ordering = ["campaign", "appointment__region__code"]


class AdjustmentApiFilter(FilterSet):
    reason = django_filters.ChoiceFilter(choices=Reason.choices)
    executed_from = django_filters.DateFilter(field_name="executed_on", lookup_expr="gte")
    executed_to = django_filters.DateFilter(field_name="executed_on", lookup_expr="lte")

    class Meta:
        model = Adjustment
        fields = ["reason", "executed_from", "executed_to"]


class CountyAdjustmentsSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="县(区)代码前6位")
    name = serializers.CharField()
    total = serializers.IntegerField()
    by_reason = counts_schema("AdjustmentReasonCounts", Reason.values)


#: Executed adjustments of a period by reason and county (schema only).
ADJUSTMENT_SUMMARY = inline_serializer(
    name="AdjustmentSummary",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "total": serializers.IntegerField(),
        "by_reason": counts_schema("AdjustmentReasonCounts", Reason.values),
        "reasons": inline_serializer(
            name="AdjustmentReasonLabels",
            fields={reason: serializers.CharField() for reason in Reason.values},
        ),
        "counties": CountyAdjustmentsSerializer(many=True),
    },
)


class AdjustmentViewSet(ScopedReadOnlyViewSet):
    """村干部调整；``summary?from=YYYY-MM-DD&to=YYYY-MM-DD`` 按原因和县(区)统计该期间执行的调整。
    ``decide`` 审批（组织部审核员），``execute`` 执行已批准的调整（继任者或空缺），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {
        "decide": "cadres.decide",
        "execute": "cadres.execute",
    }

    record_name = "adjustment"
    queryset = Adjustment.objects.select_related(
        "appointment__person", "appointment__region", "successor__person"
    )
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentApiFilter
    ordering_fields = ["proposed_on", "executed_on"]
    ordering = ["-proposed_on", "-id"]

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=ADJUSTMENT_SUMMARY,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
        return Response(queries.adjustment_summary(request.user, start, end))

    def answer(self, adjustment: Adjustment) -> Response:
        return Response(AdjustmentSerializer(self.get_queryset().get(pk=adjustment.pk)).data)

    @extend_schema(
        request=DecideRequestSerializer,
        responses={200: AdjustmentSerializer},
        examples=example(
            "批准调整", {"decision": "approved", "on": "2026-11-25", "note": "同意调整"}
        ),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, DecideRequestSerializer, services.decide_adjustment))

    @extend_schema(
        request=ExecuteRequestSerializer,
        responses={200: AdjustmentSerializer},
        examples=example("执行调整，由他人继任", {"on": "2026-11-26", "successor": 58}),
    )
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, ExecuteRequestSerializer, services.execute_adjustment)
        return self.answer(done)


class EducationProgressSerializer(serializers.Serializer):
    """One county's education upgrade (schema only)."""

    county = serializers.CharField(help_text="县(区)代码前6位")
    name = serializers.CharField()
    enrolled = serializers.IntegerField()
    studying = serializers.IntegerField()
    graduated = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class EnrolmentViewSet(ScopedWritableViewSet):
    """学历提升；``progress`` 给出各县(区)入学、在读、毕业、退学人数。POST 登记入学（名册中的人员）；
    ``graduate`` 登记毕业，``withdraw`` 登记退学，与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {
        "graduate": "cadres.finish",
        "withdraw": "cadres.finish",
    }

    record_name = "enrolment"
    queryset = Enrolment.objects.select_related("person")
    serializer_class = EnrolmentSerializer
    ordering = ["-enrolled_on", "id"]

    @extend_schema(
        request=EnrolRequestSerializer,
        responses={201: EnrolmentSerializer},
        examples=example(
            "登记入读大专",
            {
                "person": 42,
                "target_level": "junior_college",
                "institution": "某市广播电视大学",
                "enrolled_on": "2026-09-01",
                "expected_on": "2029-07-01",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        done = self.created(
            request,
            "cadres.enrol",
            EnrolRequestSerializer,
            services.enrol,
            refusal={"action": "enrol", "record": None},
        )
        return self.answer(done, status.HTTP_201_CREATED)

    @extend_schema(
        request=FinishRequestSerializer,
        responses={200: EnrolmentSerializer},
        examples=example("登记毕业", {"on": "2026-07-01"}),
    )
    @action(detail=True, methods=["post"])
    def graduate(self, request: Request, **kwargs: Any) -> Response:
        run = partial(services.finish_enrolment, graduated=True)
        return self.answer(self.act(request, FinishRequestSerializer, run))

    @extend_schema(
        request=FinishRequestSerializer,
        responses={200: EnrolmentSerializer},
        examples=example("登记退学", {"on": "2026-11-20"}),
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, **kwargs: Any) -> Response:
        run = partial(services.finish_enrolment, graduated=False)
        return self.answer(self.act(request, FinishRequestSerializer, run))

    @extend_schema(responses=EducationProgressSerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def progress(self, request: Request, **kwargs: Any) -> Response:
        return Response(queries.education_progress(request.user))


class TrainingCountsSerializer(serializers.Serializer):
    """Trained cadres by county and by base (schema only)."""

    counties = inline_serializer(
        name="TrainedByCounty",
        many=True,
        fields={
            "county": serializers.CharField(help_text="县(区)代码前6位"),
            "name": serializers.CharField(),
            "trained": serializers.IntegerField(),
            "attendances": serializers.IntegerField(),
        },
    )
    bases = inline_serializer(
        name="TrainedByBase",
        many=True,
        fields={
            "session__base_id": serializers.IntegerField(),
            "session__base__name": serializers.CharField(),
            "trained": serializers.IntegerField(),
            "sessions": serializers.IntegerField(),
        },
    )


class TrainingBaseViewSet(ScopedWritableViewSet):
    """实训基地；``counts`` 给出各县(区)、各基地的培训人数。POST 设立实训基地（设在村或社区）；
    ``schedule`` 安排培训班次，与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"schedule": "cadres.schedule"}

    record_name = "base"
    queryset = TrainingBase.objects.select_related("region")
    serializer_class = TrainingBaseSerializer
    ordering = ["region__code", "name"]

    @extend_schema(
        request=OpenBaseRequestSerializer,
        responses={201: TrainingBaseSerializer},
        examples=example(
            "设立县级实训基地",
            {
                "name": "甲县一村“领头雁”实训基地",
                "region": "510121100200",
                "level": "county",
                "opened_on": "2026-11-20",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        done = self.created(
            request,
            "cadres.open_base",
            OpenBaseRequestSerializer,
            services.open_base,
            refusal={"action": "open", "record": None},
        )
        return self.answer(done, status.HTTP_201_CREATED)

    @extend_schema(
        request=ScheduleRequestSerializer,
        responses={201: TrainingSessionSerializer},
        examples=example(
            "安排一期跟岗培训",
            {
                "title": "2026年第二期村党组织书记跟岗培训",
                "kind": "shadowing",
                "starts_on": "2026-12-01",
                "ends_on": "2026-12-15",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, ScheduleRequestSerializer, services.schedule_session)
        answer = TrainingSession.objects.prefetch_related("attendances").get(pk=done.pk)
        return Response(TrainingSessionSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TrainingCountsSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def counts(self, request: Request, **kwargs: Any) -> Response:
        return Response(queries.training_counts(request.user))


class TrainingSessionViewSet(ScopedReadOnlyViewSet):
    """培训班次；``attend`` 登记参训（名册中的人员，结业须注明），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"attend": "cadres.attend"}

    record_name = "session"
    queryset = TrainingSession.objects.prefetch_related("attendances")
    serializer_class = TrainingSessionSerializer
    filterset_fields = ["base", "kind"]
    ordering = ["-starts_on", "id"]

    @extend_schema(
        request=AttendRequestSerializer,
        responses={201: AttendanceSerializer},
        examples=example("登记参训并结业", {"person": 42, "completed": True}),
    )
    @action(detail=True, methods=["post"])
    def attend(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, AttendRequestSerializer, services.record_attendance)
        return Response(AttendanceSerializer(done).data, status=status.HTTP_201_CREATED)
