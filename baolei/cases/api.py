"""Cases API: cases with their timeline, the statistics for any period, and the writes
a case's pages make (open a case, record a stage, a suspect, a seizure), through the same
services and the same policy; a police or court system pushes many stages at once."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.cases import queries, services
from baolei.cases.models import (
    Asset,
    Case,
    CaseKind,
    Characterisation,
    Stage,
    StageEvent,
    Suspect,
)
from baolei.cases.serializers import (
    AssetRequestSerializer,
    AssetSerializer,
    BulkStageSerializer,
    ConsultationRequestSerializer,
    ConsultationSerializer,
    DisposeRequestSerializer,
    InterventionRequestSerializer,
    InterventionSerializer,
    JointSupervisionSerializer,
    OpenCaseSerializer,
    StageEventSerializer,
    StageSerializer,
    SupervisionRequestSerializer,
    SuspectEventSerializer,
    SuspectRequestSerializer,
    SuspectSerializer,
    SuspectStatusRequestSerializer,
)
from baolei.core import bulk, params
from baolei.core.api import PERIOD_PARAMETERS, ScopedViewSetMixin, counts_schema, example
from baolei.core.filters import FilterSet
from baolei.core.views_base import require


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageEvent
        fields = ["stage", "on", "characterisation", "outcome", "agency", "note"]


class CaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    stage = serializers.ChoiceField(
        choices=Stage.choices, read_only=True, allow_null=True, help_text="当前阶段"
    )
    events = EventSerializer(many=True, read_only=True)
    suspects = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "name",
            "kind",
            "region",
            "lead_agency",
            "opened_on",
            "summary",
            "stage",
            "events",
            "suspects",
        ]

    def get_suspects(self, case: Case) -> list[dict[str, Any]]:
        return [
            {
                "name": s.person.name,
                "id_number": s.person.id_number_masked,
                "role": s.role,
                "sentence": s.sentence,
            }
            for s in case.suspects.all()
        ]


class CaseApiFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Case
        fields = ["kind", "stage"]


RECOGNISED = [c for c in Characterisation.values if c != Characterisation.NONE]
#: The statistics of a period (schema only): the seed's chain of figures.
STATISTICS = inline_serializer(
    name="CaseStatistics",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "police": inline_serializer(
            name="PoliceStatistics",
            fields={
                "filed": counts_schema("FiledByKind", CaseKind.values),
                "suspects_caught": serializers.IntegerField(),
            },
        ),
        "procuratorate": inline_serializer(
            name="ProcuratorateStatistics",
            fields={
                "prosecuted": counts_schema("ProsecutedByCharacterisation", Characterisation.values)
            },
        ),
        "courts": inline_serializer(
            name="CourtStatistics",
            fields={
                "first_instance_recognised": counts_schema("FirstInstanceRecognised", RECOGNISED),
                "first_instance_not_recognised": serializers.IntegerField(),
                "second_instance_concluded": counts_schema("SecondInstanceConcluded", RECOGNISED),
            },
        ),
        "assets": inline_serializer(
            name="AssetStatistics",
            fields={
                "held_at_from": serializers.DecimalField(max_digits=20, decimal_places=2),
                "held_at_to": serializers.DecimalField(max_digits=20, decimal_places=2),
                "change": serializers.DecimalField(max_digits=20, decimal_places=2),
            },
        ),
    },
)


BULK_RESULT = inline_serializer(
    name="BulkStagesResult",
    fields={
        "recorded": serializers.IntegerField(),
        "events": StageEventSerializer(many=True),
    },
)
#: A service's field names as a bulk item names them.
BULK_FIELDS = {"on": "date"}


def suspect_status(*, actor: User, case: Case, suspect: Suspect, **data: Any) -> Any:
    return services.record_suspect_status(actor=actor, suspect=suspect, **data)


def dispose(*, actor: User, case: Case, asset: Asset, **data: Any) -> Any:
    return services.dispose_asset(actor=actor, asset=asset, **data)


class CaseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """案件（含办案进程、嫌疑人，身份证号码脱敏）；``statistics?from=&to=`` 为期间统计。
    POST 立案登记；``stage`` 办案阶段，``suspect`` 犯罪嫌疑人，``status`` 强制措施或处理结果，
    ``asset`` 查封扣押冻结，``dispose`` 财产处置，``consultation`` 会商，``intervention``
    提前介入，``supervision`` 联合督办，与页面相同，由同一规则把关；``stages/bulk`` 一次推送多个阶段，全部成功或全部不登记。"""

    policy_actions: ClassVar[dict[str, str]] = {
        name: f"cases.{name}"
        for name in (
            "stage",
            "suspect",
            "status",
            "asset",
            "dispose",
            "consultation",
            "intervention",
            "supervision",
        )
    }

    record_name = "case"
    queryset = Case.objects.select_related("region").prefetch_related("events", "suspects__person")
    serializer_class = CaseSerializer
    filterset_class = CaseApiFilter
    ordering_fields = ["opened_on", "number"]
    ordering = ["-opened_on"]
    search_fields = ["number", "name"]

    @extend_schema(
        request=OpenCaseSerializer,
        responses={201: CaseSerializer},
        examples=example(
            "立案登记",
            {
                "number": "甲公刑〔2026〕15号",
                "name": "李某某等人恶势力犯罪集团案",
                "kind": "evil_group",
                "region": "510121100200",
                "lead_agency": 5,
                "opened_on": "2026-11-20",
                "summary": "李某某纠集多人在村内强揽工程、寻衅滋事",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "cases.open")
        form = OpenCaseSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        case = services.open_case(actor=cast(User, request.user), **form.validated_data)
        return Response(
            CaseSerializer(queries.with_current_stage(self.queryset).get(pk=case.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=StageSerializer,
        responses={201: StageEventSerializer},
        examples=example(
            "检察院提起公诉",
            {
                "stage": "prosecuted",
                "on": "2026-11-25",
                "characterisation": "evil_group",
                "note": "以恶势力犯罪集团提起公诉",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, **kwargs: Any) -> Response:
        event = self.act(request, StageSerializer, services.record_stage)
        return Response(StageEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SuspectRequestSerializer,
        responses={201: SuspectSerializer},
        examples=example("登记组织者、领导者", {"person": 42, "role": "leader"}),
    )
    @action(detail=True, methods=["post"])
    def suspect(self, request: Request, **kwargs: Any) -> Response:
        suspect = self.act(request, SuspectRequestSerializer, services.add_suspect)
        return Response(SuspectSerializer(suspect).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AssetRequestSerializer,
        responses={201: AssetSerializer},
        examples=example(
            "冻结银行存款",
            {
                "kind": "deposit",
                "measure": "freeze",
                "description": "李某某名下农商银行账户存款",
                "value": "356000.00",
                "on": "2026-11-22",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def asset(self, request: Request, **kwargs: Any) -> Response:
        asset = self.act(request, AssetRequestSerializer, services.record_asset)
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SuspectStatusRequestSerializer,
        responses={201: SuspectEventSerializer},
        examples=example("登记逮捕", {"suspect": 7, "status": "arrested", "on": "2026-11-23"}),
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, **kwargs: Any) -> Response:
        event = self.act(request, SuspectStatusRequestSerializer, suspect_status)
        return Response(SuspectEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DisposeRequestSerializer,
        responses={200: AssetSerializer},
        examples=example(
            "判决没收", {"asset": 3, "disposition": "confiscated", "on": "2026-11-25"}
        ),
    )
    @action(detail=True, methods=["post"])
    def dispose(self, request: Request, **kwargs: Any) -> Response:
        return Response(AssetSerializer(self.act(request, DisposeRequestSerializer, dispose)).data)

    @extend_schema(
        request=ConsultationRequestSerializer,
        responses={201: ConsultationSerializer},
        examples=example(
            "诉前会商",
            {
                "kind": "pre_prosecution",
                "on": "2026-11-24",
                "agencies": [5, 6],
                "disputes": ["characterisation"],
                "conclusion": "一致认定为恶势力犯罪集团，补充证据后移送起诉",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def consultation(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, ConsultationRequestSerializer, services.record_consultation)
        return Response(ConsultationSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InterventionRequestSerializer,
        responses={201: InterventionSerializer},
        examples=example(
            "检察院提前介入",
            {"prosecutor": "刘检察官", "on": "2026-11-22", "guidance": "补强资金往来证据"},
        ),
    )
    @action(detail=True, methods=["post"])
    def intervention(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, InterventionRequestSerializer, services.record_intervention)
        return Response(InterventionSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SupervisionRequestSerializer,
        responses={201: JointSupervisionSerializer},
        examples=example(
            "联合挂牌督办",
            {"bodies": "市扫黑办、市公安局", "on": "2026-11-22", "deadline": "2027-02-22"},
        ),
    )
    @action(detail=True, methods=["post"])
    def supervision(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, SupervisionRequestSerializer, services.record_supervision)
        return Response(JointSupervisionSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkStageSerializer(many=True),
        responses={201: BULK_RESULT, 400: bulk.ERRORS},
        examples=example(
            "一次推送两个案件的阶段",
            [
                {"case": "甲公刑〔2026〕1号", "stage": "transferred", "date": "2026-11-20"},
                {
                    "case": "甲公刑〔2026〕3号",
                    "stage": "prosecuted",
                    "date": "2026-11-21",
                    "characterisation": "evil_force",
                    "note": "以恶势力提起公诉",
                },
            ],
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="stages/bulk",
        url_name="stages-bulk",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_stages(self, request: Request, **kwargs: Any) -> Response:
        """All or nothing (baolei.core.bulk): each item is checked as the case page checks
        one — the policy, then the service, in order, so two stages of one case may follow
        each other; if any item fails, nothing is recorded and every failure is listed."""
        done = bulk.push(request, "阶段", self.push_stage)
        if isinstance(done, Response):
            return done
        events = done.results
        return Response(
            {"recorded": len(events), "events": StageEventSerializer(events, many=True).data},
            status=status.HTTP_201_CREATED,
        )

    def push_stage(self, push: bulk.Push, index: int, item: Any) -> None:
        data = push.form(index, item, BulkStageSerializer, user=push.request.user)
        if data is None:
            return
        case = data.pop("case")
        if push.allowed(index, "cases.stage", case, "stage", "case"):
            # The service's own refusal is the stage's: another agency records it.
            push.run(
                index,
                services.record_stage,
                renamed=BULK_FIELDS,
                refused_field="stage",
                case=case,
                on=data.pop("date"),
                **data,
            )

    def get_queryset(self) -> Any:
        return queries.with_current_stage(super().get_queryset())

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=STATISTICS)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def statistics(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
        return Response(queries.statistics(request.user, start, end))
