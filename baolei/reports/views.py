from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.regions.models import Region
from baolei.regions.queries import scope_root
from baolei.reports import briefing
from baolei.reports.figures import all_figures
from baolei.web.api import ApiViewMixin, query_date

GROUPS = {
    "organisation": "组织建设",
    "coordination": "协作联动",
    "supervision": "督导整改",
    "results": "打击成效",
}


def parameters(request: Any) -> tuple[Region, date, date]:
    """The region (inside the user's scope), the as-of date and the reference date for periods."""
    today = timezone.localdate()
    getter = request.query_params if hasattr(request, "query_params") else request.GET
    try:
        as_of = date.fromisoformat(getter.get("as_of") or today.isoformat())
        start = date.fromisoformat(getter.get("from") or (as_of - timedelta(days=300)).isoformat())
    except ValueError:
        raise Http404("日期格式应为 YYYY-MM-DD") from None
    root = scope_root(request.user)
    code = getter.get("region")
    region = Region.objects.visible_to(request.user).filter(code=code).first() if code else root
    if region is None:
        raise Http404("该区划不在您的管理范围内")
    return region, as_of, min(start, as_of)


class DashboardView(TemplateView):
    """驾驶舱: every figure for a region and date, each linking to its records; drill down by region."""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region, as_of, start = parameters(self.request)
        groups = all_figures(self.request.user, region, as_of, start)
        context.update(
            region=region,
            as_of=as_of,
            start=start,
            groups=[(GROUPS[key], figures) for key, figures in groups.items()],
            children=Region.objects.visible_to(self.request.user)
            .filter(parent=region)
            .order_by("code"),
        )
        return context


class BriefingView(TemplateView):
    """通报 preview: the official text with each figure linked to its records."""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"
    template_name = "reports/briefing.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region, as_of, start = parameters(self.request)
        context["briefing"] = briefing.build(self.request.user, region, as_of, start)
        context["query"] = self.request.GET.urlencode()
        return context


class BriefingDocxView(View):
    """The same briefing as .docx laid out per GB/T 9704."""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"

    def get(self, request: HttpRequest) -> HttpResponse:
        region, as_of, start = parameters(request)
        document = briefing.build(request.user, region, as_of, start)
        record_event(Action.EXPORT, request=request, target=f"通报 {region.code} {as_of}")
        response = HttpResponse(
            briefing.to_docx(document),
            content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
        )
        name = f"{document.title}_{as_of:%Y%m%d}.docx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class FiguresApiView(ApiViewMixin, APIView):
    """全部统计数字：``?region=CODE&as_of=YYYY-MM-DD&from=YYYY-MM-DD``，按当前用户范围统计。"""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"

    def get(self, request: Request) -> Response:
        query_date(request, "as_of", timezone.localdate())  # a malformed date is a 400, not a 404
        region, as_of, start = parameters(request)
        groups = all_figures(request.user, region, as_of, start)
        return Response(
            {
                "region": region.code,
                "as_of": as_of.isoformat(),
                "from": start.isoformat(),
                "figures": {key: [f.as_dict() for f in figures] for key, figures in groups.items()},
            }
        )
