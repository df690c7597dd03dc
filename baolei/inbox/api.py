"""``GET /api/v1/me/todo/``: the signed-in user's to-do list, as on the home page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baolei.core.api import ApiViewMixin
from baolei.inbox.queries import todo_list


class TodoSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="待办种类")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="件数")
    overdue = serializers.IntegerField(help_text="其中已过时限的件数（无时限的种类为 0）")
    oldest = serializers.DateField(allow_null=True, help_text="最早的时限或到达日期")
    date_is_deadline = serializers.BooleanField(help_text="oldest 是时限（true）还是到达日期")
    url = serializers.CharField(help_text="列出这些记录的页面（含筛选条件）")


class TodoApiView(ApiViewMixin, APIView):
    """本人及本单位的待办：每类的件数、逾期件数、最早时限和列表链接；逾期的在前，0 件的在后。"""

    scope_exempt = "只通过各业务模块的 visible_to(user) 与操作规则计数"

    @extend_schema(responses=TodoSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {
                "key": todo.kind.key,
                "label": todo.kind.label,
                "count": todo.count,
                "overdue": todo.overdue,
                "oldest": todo.oldest,
                "date_is_deadline": todo.kind.deadline,
                "url": todo.url,
            }
            for todo in todo_list(request.user)
        ]
        return Response(TodoSerializer(rows, many=True).data)
