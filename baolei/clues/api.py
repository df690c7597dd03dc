"""Clues API: clues (umbrella clues only for those allowed), referrals and their summary,
and every write a clue's pages make, through the same services and the same policy."""

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

from baolei.accounts.models import Agency, User
from baolei.cases.api import CaseSerializer
from baolei.cases.models import Case, CaseKind
from baolei.clues import queries, services
from baolei.clues.models import (
    Category,
    Clue,
    ClueStatus,
    ClueSupervision,
    Conclusion,
    Direction,
    Referral,
    Source,
)
from baolei.core import bulk, params
from baolei.core.api import (
    PERIOD_PARAMETERS,
    DayField,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    example,
)
from baolei.core.filters import FilterSet
from baolei.core.scoping import ancestor_codes
from baolei.core.views_base import require
from baolei.people.models import Person
from baolei.regions.models import Region


class ClueSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    warning = serializers.CharField(read_only=True)

    class Meta:
        model = Clue
        fields = [
            "id",
            "number",
            "received_on",
            "source",
            "category",
            "summary",
            "region",
            "handling_agency",
            "status",
            "conclusion",
            "concluded_on",
            "deadline",
            "case",
            "merged_into",
            "warning",
        ]


class ClueApiFilter(FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    status = django_filters.ChoiceFilter(choices=ClueStatus.choices)
    warning = django_filters.ChoiceFilter(choices=[("red", "red"), ("blue", "blue")])

    class Meta:
        model = Clue
        fields = ["category", "source", "status", "warning"]


class ReferralSerializer(serializers.ModelSerializer):
    clue = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "clue",
            "from_agency",
            "to_agency",
            "direction",
            "sent_on",
            "reason",
            "acknowledge_by",
            "acknowledged_on",
            "feedback_by",
            "feedback_on",
            "feedback",
        ]


class TimelinessSerializer(serializers.Serializer):
    """Referrals of one direction: acknowledged and fed back on time, late, open (schema only)."""

    label = serializers.CharField()
    total = serializers.IntegerField()
    ack_on_time = serializers.IntegerField()
    ack_late = serializers.IntegerField()
    ack_open = serializers.IntegerField()
    ack_open_overdue = serializers.IntegerField()
    feedback_on_time = serializers.IntegerField()
    feedback_late = serializers.IntegerField()
    feedback_open = serializers.IntegerField()
    feedback_open_overdue = serializers.IntegerField()


REFERRAL_SUMMARY = inline_serializer(
    name="ReferralSummary",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "directions": inline_serializer(
            name="ReferralDirections",
            fields={d: TimelinessSerializer() for d in Direction.values},
        ),
    },
)


class RegisterSerializer(serializers.Serializer):
    """登记线索：与登记页面同样的字段；区划与人员只能选本人可见范围内的。"""

    received_on = DayField(label="受理日期")
    source = serializers.ChoiceField(label="来源", choices=Source.choices)
    category = serializers.ChoiceField(label="类别", choices=Category.choices)
    summary = serializers.CharField(label="问题线索摘要", max_length=4000)
    region = serializers.SlugRelatedField(
        label="涉及区划（12 位区划代码）", slug_field="code", queryset=Region.objects.none()
    )
    persons = serializers.PrimaryKeyRelatedField(
        label="涉及人员", many=True, required=False, queryset=Person.objects.none()
    )
    reporter = serializers.CharField(
        label="举报人信息（加密保存，仅承办人可见）",
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is None:  # the schema's instance
            return
        self.fields["region"].queryset = Region.objects.visible_to(user)  # type: ignore[attr-defined]
        persons = self.fields["persons"]
        persons.child_relation.queryset = Person.objects.visible_to(user)  # type: ignore[attr-defined]


class OnSerializer(serializers.Serializer):
    on = DayField(label="日期")


class AssignSerializer(OnSerializer):
    handler = serializers.PrimaryKeyRelatedField(label="承办人", queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clue = self.context.get("record")
        if clue is None:  # the schema's instance
            return
        self.fields["handler"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency=clue.handling_agency, is_active=True
        )


class ReferSerializer(OnSerializer):
    to_agency = serializers.PrimaryKeyRelatedField(label="接收单位", queryset=Agency.objects.none())
    reason = serializers.CharField(label="移送理由", max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clue = self.context.get("record")
        if clue is None:  # the schema's instance
            return
        # As the page: only agencies whose jurisdiction covers the clue's region.
        codes = [*ancestor_codes(clue.region.prefix), clue.region.code]
        self.fields["to_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            region__code__in=codes
        ).exclude(pk=clue.handling_agency_id)


class ConcludeSerializer(OnSerializer):
    conclusion = serializers.ChoiceField(label="办结结论", choices=Conclusion.choices)
    note = serializers.CharField(
        label="说明", required=False, allow_blank=True, default="", max_length=2000
    )


class MergeSerializer(OnSerializer):
    into = serializers.CharField(label="并入线索编号", max_length=60)
    reason = serializers.CharField(label="并案理由", max_length=2000)


class SuperviseSerializer(OnSerializer):
    deadline = DayField(label="督办时限")
    requirement = serializers.CharField(label="督办要求", max_length=2000)


class PromoteSerializer(OnSerializer):
    number = serializers.CharField(label="案件编号", max_length=60)
    name = serializers.CharField(label="案件名称", max_length=200)
    kind = serializers.ChoiceField(label="案件类型", choices=CaseKind.choices)
    lead_agency = serializers.PrimaryKeyRelatedField(
        label="主办公安机关", queryset=Agency.objects.filter(kind="police")
    )


class FeedbackSerializer(OnSerializer):
    feedback = serializers.CharField(label="反馈情况", max_length=4000)


class ClueSupervisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClueSupervision
        fields = ["id", "clue", "on", "deadline", "requirement"]


BULK_REGISTERED = inline_serializer(
    name="BulkRegistered",
    fields={"registered": serializers.IntegerField(), "clues": ClueSerializer(many=True)},
)


class ClueViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """问题线索（“保护伞”类仅纪委监委与扫黑办领导可见）；举报人信息不经接口提供。
    POST 登记线索（``bulk`` 一次登记多条，全部成功或全部不登记）；交办、开始核查、移送、
    办结、并案、督办、立案与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {
        name: f"clues.{name}"
        for name in ("assign", "verify", "refer", "conclude", "merge", "supervise", "promote")
    }

    record_name = "clue"
    queryset = Clue.objects.select_related("region")
    serializer_class = ClueSerializer
    filterset_class = ClueApiFilter
    ordering_fields = ["received_on", "deadline", "sequence"]
    ordering = ["-received_on"]
    search_fields = ["number", "summary"]

    def get_queryset(self) -> Any:
        return queries.with_warning(super().get_queryset())

    def answer(self, clue: Clue, code: int = status.HTTP_200_OK) -> Response:
        return Response(ClueSerializer(self.get_queryset().get(pk=clue.pk)).data, status=code)

    @extend_schema(
        request=RegisterSerializer,
        responses={201: ClueSerializer},
        examples=example(
            "登记一条群众举报线索",
            {
                "received_on": "2026-11-20",
                "source": "public_report",
                "category": "village_bully",
                "summary": "群众举报某村村霸强揽工程、威胁村民",
                "region": "510121100200",
                "persons": [],
                "reporter": "王某 13800000000",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "clues.register")
        form = RegisterSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        clue = services.register_clue(actor=cast(User, request.user), **form.validated_data)
        return self.answer(clue, status.HTTP_201_CREATED)

    @extend_schema(
        request=RegisterSerializer(many=True),
        responses={201: BULK_REGISTERED, 400: bulk.ERRORS},
        examples=example(
            "一次登记两条线索",
            [
                {
                    "received_on": "2026-11-20",
                    "source": "hotline",
                    "category": "evil_force",
                    "summary": "举报热线反映某镇有人放贷后暴力讨债",
                    "region": "510121100000",
                },
                {
                    "received_on": "2026-11-21",
                    "source": "letter_visit",
                    "category": "village_bully",
                    "summary": "信访反映某村有人阻挠村集体土地发包",
                    "region": "510121100200",
                },
            ],
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        url_name="bulk",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_register(self, request: Request, **kwargs: Any) -> Response:
        """All or nothing (baolei.core.bulk), as the Excel import: the rule the
        registration page asks, then each clue through the page's service, numbered in
        order; if any fails, no clue is registered and no number is taken."""
        require(request, "clues.register")
        done = bulk.push(request, "线索", self.push_clue)
        if isinstance(done, Response):
            return done
        rows = self.get_queryset().filter(pk__in=[c.pk for c in done.results]).order_by("pk")
        return Response(
            {"registered": len(done.results), "clues": ClueSerializer(rows, many=True).data},
            status=status.HTTP_201_CREATED,
        )

    def push_clue(self, push: bulk.Push, index: int, item: Any) -> None:
        data = push.form(index, item, RegisterSerializer, user=push.request.user)
        if data is not None:
            push.run(index, services.register_clue, **data)

    @extend_schema(
        request=AssignSerializer,
        responses=ClueSerializer,
        examples=example("交办给承办人", {"on": "2026-11-21", "handler": 12}),
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, AssignSerializer, services.assign))

    @extend_schema(
        request=OnSerializer,
        responses=ClueSerializer,
        examples=example("开始核查", {"on": "2026-11-22"}),
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, OnSerializer, services.start_verification))

    @extend_schema(
        request=ReferSerializer,
        responses={201: ReferralSerializer},
        examples=example(
            "移送纪委监委",
            {"on": "2026-11-22", "to_agency": 3, "reason": "涉及公职人员充当“保护伞”"},
        ),
    )
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, **kwargs: Any) -> Response:
        referral = self.act(request, ReferSerializer, services.refer)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConcludeSerializer,
        responses=ClueSerializer,
        examples=example(
            "核查属实，办结",
            {"on": "2026-11-25", "conclusion": "substantiated", "note": "已查实，移交立案"},
        ),
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, ConcludeSerializer, services.conclude))

    @extend_schema(
        request=MergeSerializer,
        responses=ClueSerializer,
        examples=example(
            "并入先受理的线索",
            {"on": "2026-11-22", "into": "线索〔2026〕0001号", "reason": "同一举报事项重复举报"},
        ),
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, MergeSerializer, services.merge_by_number))

    @extend_schema(
        request=SuperviseSerializer,
        responses={201: ClueSupervisionSerializer},
        examples=example(
            "挂牌督办",
            {"on": "2026-11-22", "deadline": "2026-12-22", "requirement": "30日内查清并反馈"},
        ),
    )
    @action(detail=True, methods=["post"])
    def supervise(self, request: Request, **kwargs: Any) -> Response:
        supervision = self.act(request, SuperviseSerializer, services.supervise)
        return Response(ClueSupervisionSerializer(supervision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PromoteSerializer,
        responses={201: CaseSerializer},
        examples=example(
            "核查属实，立案侦查",
            {
                "on": "2026-11-25",
                "number": "甲公刑〔2026〕15号",
                "name": "李某某等人恶势力犯罪集团案",
                "kind": "evil_group",
                "lead_agency": 5,
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def promote(self, request: Request, **kwargs: Any) -> Response:
        case = self.act(request, PromoteSerializer, services.promote_to_case)
        return Response(
            CaseSerializer(Case.objects.get(pk=case.pk)).data, status=status.HTTP_201_CREATED
        )


class ReferralApiFilter(FilterSet):
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    todo = django_filters.ChoiceFilter(
        choices=[("acknowledge", "待签收"), ("feedback", "待反馈")],
        method="filter_todo",
        help_text="本单位待签收（acknowledge）或待反馈（feedback）的移送",
    )

    class Meta:
        model = Referral
        fields = ["direction", "todo"]

    def filter_todo(self, rows: Any, name: str, value: str) -> Any:
        """What the user's agency still owes, as the referrals page's 待办 filter."""
        return queries.awaiting_referrals(rows, getattr(self.request, "user", None), value)


class ReferralViewSet(ScopedReadOnlyViewSet):
    """线索移送；``?todo=acknowledge``（待签收）或 ``?todo=feedback``（待反馈）为本单位
    尚欠的移送，``&ordering=acknowledge_by`` 按时限先后；``summary?from=&to=`` 为各方向
    移送数及按时、逾期签收反馈数；接收单位的录入员、审核员 ``acknowledge`` 签收、
    ``feedback`` 反馈。"""

    policy_actions: ClassVar[dict[str, str]] = {
        "acknowledge": "clues.acknowledge",
        "feedback": "clues.feedback",
    }

    record_name = "referral"
    queryset = Referral.objects.select_related("clue")
    serializer_class = ReferralSerializer
    filterset_class = ReferralApiFilter
    ordering_fields = ["sent_on", "acknowledge_by", "feedback_by"]
    ordering = ["-sent_on"]

    @extend_schema(
        request=OnSerializer,
        responses=ReferralSerializer,
        examples=example("签收移送的线索", {"on": "2026-11-23"}),
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, **kwargs: Any) -> Response:
        return Response(
            ReferralSerializer(self.act(request, OnSerializer, services.acknowledge)).data
        )

    @extend_schema(
        request=FeedbackSerializer,
        responses=ReferralSerializer,
        examples=example(
            "反馈核查结果",
            {"on": "2026-12-01", "feedback": "经核查，反映问题属实，已给予党内严重警告处分"},
        ),
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, FeedbackSerializer, services.give_feedback)
        return Response(ReferralSerializer(done).data)

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=REFERRAL_SUMMARY)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
        return Response(queries.referral_summary(request.user, start, end))
