"""Ledger API: CRUD and the same actions as the pages, all through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import Agency, User
from baolei.core.api import ScopedViewSetMixin
from baolei.core.filters import FilterSet, IdFilter
from baolei.ledger import queries, services
from baolei.ledger.models import (
    Acceptance,
    AcceptanceResult,
    DayKind,
    DeadlineChange,
    Evidence,
    LedgerItem,
    ProgressEntry,
    SourceKind,
    Status,
    Warning,
)
from baolei.regions.models import Region


class ItemSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    owner_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    owner_agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    warning = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    measures = serializers.ListField(child=serializers.CharField(), required=False)
    deadline = serializers.DateField(required=False)
    deadline_day_kind = serializers.ChoiceField(
        choices=DayKind.choices, required=False, allow_blank=True
    )
    version = serializers.IntegerField(required=False)

    class Meta:
        model = LedgerItem
        fields = [
            "id",
            "key",
            "title",
            "description",
            "region",
            "owner_agency",
            "owner_agency_name",
            "responsible_person",
            "supervising_leader",
            "measures",
            "deadline",
            "deadline_start_on",
            "deadline_days",
            "deadline_day_kind",
            "suspended_on",
            "status",
            "status_display",
            "cancel_reason",
            "source_kind",
            "warning",
            "version",
            "created_at",
        ]
        read_only_fields = ["key", "suspended_on", "status", "cancel_reason", "created_at"]


class ItemFilter(FilterSet):
    warning = django_filters.ChoiceFilter(choices=Warning.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    source_kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    owner_agency = IdFilter(field_name="owner_agency_id")
    region = django_filters.CharFilter(method="within")
    deadline_from = django_filters.DateFilter(field_name="deadline", lookup_expr="gte")
    deadline_to = django_filters.DateFilter(field_name="deadline", lookup_expr="lte")

    class Meta:
        model = LedgerItem
        fields = ["warning", "status", "source_kind", "owner_agency", "region"]

    def within(self, rows: Any, name: str, value: str) -> Any:
        region = Region.objects.filter(code=value).first()
        return rows.filter(region__code__under=region.prefix) if region else rows.none()


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEntry
        fields = ["id", "on", "text", "corrects", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


class AcceptanceSerializer(serializers.ModelSerializer):
    result = serializers.ChoiceField(choices=AcceptanceResult.choices)

    class Meta:
        model = Acceptance
        fields = ["id", "on", "result", "long_term", "notes", "reviewer", "reviewer_agency"]
        read_only_fields = ["reviewer", "reviewer_agency"]


class DeadlineChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineChange
        fields = ["id", "kind", "reason", "old_deadline", "new_deadline", "starts_on", "ends_on"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "name", "kind", "size", "uploaded_at"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)
    new_deadline = serializers.DateField(required=False)


#: A deadline action answers the change it recorded (201), or the item when it records
#: none (200).
DEADLINE_RESPONSES = {201: DeadlineChangeSerializer, 200: ItemSerializer}
EVIDENCE_UPLOAD = inline_serializer(
    name="EvidenceUpload", fields={"file": serializers.FileField(help_text="佐证材料文件")}
)


class LedgerItemViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """台账事项：按可见范围过滤；``?warning=red`` 为逾期事项。修改须带 version，过期版本返回 409。"""

    policy_actions: ClassVar[dict[str, str]] = {
        "update": "ledger.edit",
        "partial_update": "ledger.edit",
        "progress": "ledger.progress",
        "evidence": "ledger.evidence",
        "acceptance": "ledger.accept",
        "extend": "ledger.extend",
        "suspend": "ledger.suspend",
        "resume": "ledger.resume",
        "cancel": "ledger.cancel",
    }

    queryset = LedgerItem.objects.select_related("region", "owner_agency")
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    ordering_fields = ["deadline", "key", "status"]
    ordering = ["deadline", "key"]
    search_fields = ["title", "key", "former_key", "responsible_person"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return queries.with_warning(super().get_queryset())

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.create_item(actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ApiValidationError({"version": "修改时必须提供 version（打开时的版本号）。"})
        for fixed in ("deadline", "deadline_start_on", "deadline_days", "deadline_day_kind"):
            if fixed in data and data[fixed] != getattr(serializer.instance, fixed):
                raise ApiValidationError({fixed: "时限请通过 extend/suspend/resume 操作变更。"})
            data.pop(fixed, None)
        services.update_item(
            actor=self.request.user,
            item=serializer.instance,
            version=version,
            **data,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().update(request, *args, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=kwargs["pk"])).data)

    def action_response(self, item: LedgerItem, created: Any, serializer: Any) -> Response:
        return Response(
            serializer(created).data
            if created is not None
            else ItemSerializer(
                self.get_queryset().get(pk=item.pk), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED if created is not None else status.HTTP_200_OK,
        )

    @extend_schema(methods=["GET"], responses=ProgressSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ProgressSerializer, responses={201: ProgressSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=ProgressSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def progress(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        item = self.get_object()
        if request.method == "GET":
            return Response(ProgressSerializer(item.progress.all(), many=True).data)
        body = ProgressSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = services.add_progress(
            actor=cast(User, request.user),
            item=item,
            on=data["on"],
            text=data["text"],
            corrects=data.get("corrects"),
        )
        return self.action_response(item, entry, ProgressSerializer)

    @extend_schema(methods=["GET"], responses=EvidenceSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": EVIDENCE_UPLOAD},
        responses={201: EvidenceSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=EvidenceSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def evidence(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        item = self.get_object()
        if request.method == "GET":
            return Response(EvidenceSerializer(item.evidence.all(), many=True).data)
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": "请上传文件（字段名 file）。"})
        evidence = services.attach_evidence(
            actor=cast(User, request.user), item=item, upload=upload
        )
        return self.action_response(item, evidence, EvidenceSerializer)

    @extend_schema(methods=["GET"], responses=AcceptanceSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AcceptanceSerializer, responses={201: AcceptanceSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=AcceptanceSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def acceptance(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        item = self.get_object()
        if request.method == "GET":
            return Response(AcceptanceSerializer(item.acceptances.all(), many=True).data)
        body = AcceptanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        accepted = services.accept_item(
            actor=cast(User, request.user),
            item=item,
            on=data["on"],
            result=data["result"],
            notes=data.get("notes", ""),
            long_term=data.get("long_term", False),
        )
        return self.action_response(item, accepted, AcceptanceSerializer)

    def deadline_action(
        self, request: Request, service: Callable[..., Any], *fields: str
    ) -> Response:
        item = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        missing = [f for f in fields if f not in data]
        if missing:
            raise ApiValidationError({f: "必填。" for f in missing})
        result = service(actor=cast(User, request.user), item=item, **{f: data[f] for f in fields})
        created = result if isinstance(result, DeadlineChange) else None
        return self.action_response(item, created, DeadlineChangeSerializer)

    @extend_schema(responses=DEADLINE_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def extend(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self.deadline_action(request, services.extend_deadline, "new_deadline", "reason")

    @extend_schema(responses=DEADLINE_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def suspend(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self.deadline_action(request, services.suspend_item, "on", "reason")

    @extend_schema(responses=DEADLINE_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def resume(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self.deadline_action(request, services.resume_item, "on", "reason")

    @extend_schema(responses={200: ItemSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self.deadline_action(request, services.cancel_item, "reason")
