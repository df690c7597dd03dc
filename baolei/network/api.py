"""``GET /api/v1/network/``: the network view as JSON (nodes and edges), the same walk the
page draws; ``POST`` states a relation between two persons. Relations are removed, and
candidates for the same person found, listed and decided, under ``relations/`` and
``identities/``, through the network pages' services and rules."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baolei.core.api import DAY, ApiViewMixin, ScopedReadOnlyViewSet, example
from baolei.core.filters import FilterSet
from baolei.core.views_base import require
from baolei.network import reading, services
from baolei.network.models import Decision, Identity, Kind, Relation
from baolei.network.queries import EDGE_KINDS, MAX_HOPS, NODE_KINDS
from baolei.network.serializers import (
    ConfirmRequestSerializer,
    DismissRequestSerializer,
    IdentitiesFoundSerializer,
    IdentitySerializer,
)
from baolei.people.models import Person

if TYPE_CHECKING:
    from baolei.accounts.models import User

SCOPE = "节点与连线只通过人员、案件、线索、任职与人员关系各自的 visible_to(user) 读出"

NODE = inline_serializer(
    name="NetworkNode",
    fields={
        "id": serializers.CharField(help_text="节点标识，如 person:12、case:3、clue:5、post:7"),
        "kind": serializers.ChoiceField(choices=list(NODE_KINDS)),
        "record": serializers.IntegerField(help_text="记录号"),
        "label": serializers.CharField(),
        "detail": serializers.CharField(),
        "url": serializers.CharField(help_text="记录页面的地址"),
        "region": serializers.CharField(help_text="所在区划代码"),
        "cadre": serializers.BooleanField(help_text="是否在任村（社区）干部"),
        "highlighted": serializers.BooleanField(help_text="是否在所求的关联链上"),
    },
)
EDGE = inline_serializer(
    name="NetworkEdge",
    fields={
        "id": serializers.CharField(help_text="连线标识，如 relation:4、suspect:9"),
        "source": serializers.CharField(),
        "target": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=list(EDGE_KINDS)),
        "kind_label": serializers.CharField(),
        "label": serializers.CharField(),
        "on": serializers.DateField(allow_null=True, help_text="关系起始、立案、受理或任职日期"),
        "relation": serializers.IntegerField(allow_null=True, help_text="人员关系的记录号"),
        "highlighted": serializers.BooleanField(),
    },
)
GRAPH = inline_serializer(
    name="NetworkGraph",
    fields={
        "start": serializers.ListField(child=serializers.CharField()),
        "truncated": serializers.BooleanField(help_text="节点数达到上限，未全部列出"),
        "finding": serializers.CharField(help_text="查找路径或“保护伞”时的结论"),
        "nodes": serializers.ListField(child=NODE),
        "edges": serializers.ListField(child=EDGE),
    },
)
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
PARAMETERS = [
    OpenApiParameter("person", ID, description="起点：人员记录号"),
    OpenApiParameter("case", ID, description="起点：案件记录号"),
    OpenApiParameter("clue", ID, description="起点：线索记录号"),
    OpenApiParameter("post", ID, description="起点：村干部任职记录号"),
    OpenApiParameter(
        "hops",
        {"type": "integer", "minimum": 1, "maximum": MAX_HOPS},
        description="向外扩展的步数（默认2；查找“保护伞”时默认3）",
    ),
    OpenApiParameter(
        "kind",
        {"type": "array", "items": {"type": "string", "enum": list(EDGE_KINDS)}},
        description="只沿这些类型的连线扩展（可重复）",
        explode=True,
    ),
    OpenApiParameter("from", DAY, description="连线日期不早于（YYYY-MM-DD）"),
    OpenApiParameter("to", DAY, description="连线日期不晚于（YYYY-MM-DD）"),
    OpenApiParameter(
        "within",
        {"type": "string", "pattern": "^[0-9]{12}$"},
        description="只列出该区划（12位代码）内的节点",
    ),
    OpenApiParameter("to_person", ID, description="查找 person 与此人之间的最短关联"),
    OpenApiParameter(
        "umbrella",
        {"type": "string", "enum": ["1", "true", "0", "false"]},
        description="以案件为起点，查找犯罪嫌疑人 hops 步之内的在任村（社区）干部",
    ),
]


class RelationInput(serializers.Serializer):
    person_a = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    person_b = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    kind = serializers.ChoiceField(choices=Kind.choices)
    detail = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=200)
    began_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("person_a", "person_b"):
            self.fields[name].queryset = Person.objects.visible_to(user)  # type: ignore[attr-defined]


class RelationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Relation
        fields = [
            "id",
            "person_a",
            "person_b",
            "kind",
            "detail",
            "source",
            "began_on",
            "region",
            "entered_by",
            "entering_agency",
            "created_at",
        ]


class NetworkApiView(ApiViewMixin, APIView):
    """关系网络：从人员、案件、线索或村干部任职出发，按步数扩展，列出节点与连线；
    只含当前用户可见的记录（“保护伞”及腐败问题线索只对有权查看者列出）。"""

    scope_exempt = SCOPE
    #: Asked of a POST before its body is read; a GET only reads.
    permission = "network.add"

    @extend_schema(parameters=PARAMETERS, responses=GRAPH)
    def get(self, request: Request) -> Response:
        ask = reading.read_ask(request, request.user)
        return Response(reading.as_json(reading.answer(request.user, ask)))

    @extend_schema(
        request=RelationInput,
        responses={status.HTTP_201_CREATED: RelationSerializer},
    )
    def post(self, request: Request) -> Response:
        """登记两名人员之间的关系（须注明信息来源；同一类型的关系只登记一次）。"""
        require(request, self.permission)
        data = RelationInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        actor = cast("User", request.user)
        relation = services.add_relation(actor=actor, **data.validated_data)
        return Response(RelationSerializer(relation).data, status=status.HTTP_201_CREATED)


def remove_relation(*, actor: User, relation: Relation) -> Any:
    """删除 as the page does it; the answer is the relation as it stood (the record
    history keeps it and who removed it)."""
    removed = RelationSerializer(relation).data
    services.remove_relation(actor=actor, relation=relation)
    return removed


class RelationViewSet(ScopedReadOnlyViewSet):
    """人员关系：按当前用户可见范围列出；``remove`` 删除一条关系（记录历史保留删除人），
    与关系网络页面相同，由同一规则把关：录入单位，或区划覆盖该关系的单位的审核员。"""

    policy_actions: ClassVar[dict[str, str]] = {"remove": "network.remove"}
    record_name = "relation"
    queryset = Relation.objects.select_related("region")
    serializer_class = RelationSerializer
    ordering_fields = ["created_at", "began_on"]
    ordering = ["-created_at", "id"]

    @extend_schema(
        request=None,
        responses={200: RelationSerializer},
        description="删除人员关系（请求不带正文），答复为删除前的关系。",
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, **kwargs: Any) -> Response:
        return Response(self.act(request, serializers.Serializer, remove_relation))


class IdentityApiFilter(FilterSet):
    decision = django_filters.ChoiceFilter(choices=Decision.choices)

    class Meta:
        model = Identity
        fields = ["decision"]


class IdentityViewSet(ScopedReadOnlyViewSet):
    """同一人候选：没有身份证号码的人员与疑似同一人的记录，两条记录都须在当前用户范围内；
    待研判的在前，相似度高的在前。POST ``find`` 查找（比对范围内没有身份证号码的人员），
    ``confirm`` 确认同一人（两条记录在关系网络中相连，不合并），``dismiss`` 排除（须写明理由），
    与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {
        "confirm": "network.decide",
        "dismiss": "network.decide",
    }
    record_name = "identity"
    queryset = Identity.objects.select_related("person", "other", "decided_by")
    serializer_class = IdentitySerializer
    filterset_class = IdentityApiFilter
    ordering_fields = ["score", "found_at"]
    ordering = ["decision", "-score", "id"]

    def answer(self, identity: Identity) -> Response:
        return Response(IdentitySerializer(self.get_queryset().get(pk=identity.pk)).data)

    @extend_schema(
        request=None,
        responses={200: IdentitiesFoundSerializer},
        description="比对当前用户范围内没有身份证号码的人员，新发现的每一对列为待研判的候选。",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def find(self, request: Request, **kwargs: Any) -> Response:
        require(request, "network.find")
        added = services.find_same_persons(actor=cast("User", request.user))
        return Response({"added": added})

    @extend_schema(
        request=ConfirmRequestSerializer,
        responses={200: IdentitySerializer},
        examples=example("确认同一人", {"note": "经户籍比对系同一人"}),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, **kwargs: Any) -> Response:
        run = partial(services.decide_identity, decision=Decision.CONFIRMED)
        return self.answer(self.act(request, ConfirmRequestSerializer, run))

    @extend_schema(
        request=DismissRequestSerializer,
        responses={200: IdentitySerializer},
        examples=example("排除", {"note": "出生日期不同，系同名同村的两人"}),
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, **kwargs: Any) -> Response:
        run = partial(services.decide_identity, decision=Decision.DISMISSED)
        return self.answer(self.act(request, DismissRequestSerializer, run))
