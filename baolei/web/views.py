from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from baolei.core import importing
from baolei.core.exports import XLSX
from baolei.inbox.queries import todo_for_request
from baolei.regions import queries
from baolei.regions.models import Region


class HomeView(TemplateView):
    """What waits on the user (待办), then the user's region, its governance-centre
    coverage and its subdivisions."""

    scope_exempt = "只通过 Region.objects.visible_to(user)、centre_coverage(user) 与待办计数读取"
    template_name = "web/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        root = queries.scope_root(user)
        context["root"] = root
        context["todos"] = todo_for_request(self.request)
        if root is not None:
            context["coverage"] = queries.centre_coverage(user)
            context["children"] = (
                Region.objects.visible_to(user)
                .filter(parent=root)
                .select_related("governance_centre")
                .annotate(child_count=Count("children"))
            )
        return context


class ImportErrorsView(View):
    """The error workbook of the signed-in user's last refused import."""

    scope_exempt = "只返回本人会话中最近一次被拒导入的错误清单，不读取业务记录"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        from django.core.files.storage import default_storage

        name = request.session.get(importing.ERRORS_SESSION_KEY)
        if not name or not default_storage.exists(name):
            messages.info(request, "没有可下载的错误清单：只有最近一次未通过的导入才有错误清单。")
            return redirect("web:home")
        response = FileResponse(
            default_storage.open(name, "rb"), as_attachment=True, filename="导入错误清单.xlsx"
        )
        response["Content-Type"] = XLSX
        return response
