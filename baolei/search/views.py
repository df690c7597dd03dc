"""The search page (``/search/?q=``) and its API twin (``GET /api/v1/search/?q=``):
the same search, the same groups, read through each kind's ``visible_to(user)``."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic import TemplateView
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baolei.core import params
from baolei.core.api import ApiViewMixin
from baolei.core.views_base import acting_user
from baolei.search import terms
from baolei.search.queries import PER_KIND, Found, search

SCOPE = "只列出各类记录经 visible_to(user) 读出的行，索引只提供记录号"
ID_KEY = re.compile(r"^[0-9a-f]{64}$")


def read_query(request: Any) -> terms.Query:
    """``?q=`` as typed, or ``?id_key=``: the page's stand-in for a typed ID number."""
    key = params.text(request, "id_key")
    if key:
        if not ID_KEY.match(key):
            raise params.BadQuery({"id_key": "应为身份证号码的检索码（64位十六进制）。"})
        return terms.by_id_key(key)
    return terms.parse(params.text(request, "q"))


class SearchView(TemplateView):
    """全局搜索：编号、名称、人员（姓名、拼音首字母或完整身份证号码）。"""

    scope_exempt = SCOPE
    template_name = "search/search.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        query = read_query(request)
        if query.id_key and not params.text(request, "id_key"):
            # As on the people list: a typed ID number is swapped for its lookup hash,
            # so the number stays out of the address bar, history and server logs.
            return HttpResponseRedirect(f"{request.path}?id_key={query.id_key}")
        return self.render_to_response(self.get_context_data(query=query))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = context["query"]
        context["found"] = Found(query) if query.hint else search(acting_user(self.request), query)
        context["per_kind"] = PER_KIND
        return context


HITS = inline_serializer(
    name="SearchHit",
    many=True,
    fields={
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "detail": serializers.CharField(),
        "url": serializers.CharField(help_text="记录页面的地址"),
    },
)
GROUPS = inline_serializer(
    name="SearchGroup",
    many=True,
    fields={
        "kind": serializers.ChoiceField(
            choices=["person", "clue", "case", "ledger", "region", "agency"]
        ),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(help_text="该类可见的全部匹配记录数"),
        "results": HITS,
        "more_url": serializers.CharField(
            allow_null=True,
            help_text="该类记录的列表页（已按检索词筛选）；无对应筛选或已全部列出时为空",
        ),
    },
)
FOUND = inline_serializer(
    name="SearchResults",
    fields={
        "hint": serializers.CharField(help_text="检索词过短或无效时的提示，否则为空字符串"),
        "total": serializers.IntegerField(),
        "groups": GROUPS,
    },
)


def as_dict(found: Found) -> dict[str, Any]:
    return {
        "hint": found.query.hint,
        "total": found.total,
        "groups": [
            {
                "kind": str(group.kind),
                "label": group.label,
                "count": group.count,
                "results": [
                    {"id": h.id, "title": h.title, "detail": h.detail, "url": h.url}
                    for h in group.hits
                ],
                "more_url": group.more_url or None,
            }
            for group in found.groups
        ],
    }


class SearchApiView(ApiViewMixin, APIView):
    """全局搜索：``?q=`` 编号、名称、人员姓名、拼音首字母或完整身份证号码（不接受部分号码），
    按记录类别分组，每类最多列出10条并给出总数，只含当前用户可见的记录。"""

    scope_exempt = SCOPE

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": params.TEXT_MAX},
                description="检索词：至少两个字；身份证号码须完整",
            )
        ],
        responses=FOUND,
    )
    def get(self, request: Request) -> Response:
        query = terms.parse(params.text(request, "q"))
        found = Found(query) if query.hint else search(request.user, query)
        return Response(as_dict(found))
