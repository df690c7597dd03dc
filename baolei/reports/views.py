from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView, View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core import export_jobs, params
from baolei.core.api import DAY, ApiViewMixin
from baolei.core.exports import EXPORTERS, Column, write_xlsx
from baolei.core.scoping import ancestor_codes
from baolei.regions.models import Region
from baolei.regions.queries import scope_root
from baolei.reports import briefing, output
from baolei.reports.charts import all_charts
from baolei.reports.figures import Figure, Scope, all_figures, find

GROUPS = {
    "organisation": "组织建设",
    "coordination": "协作联动",
    "supervision": "督导整改",
    "results": "打击成效",
}


def parameters(request: Any) -> tuple[Region, date, date]:
    """The region (inside the user's scope), the as-of date and the reference date for periods."""
    as_of = params.day(request, "as_of", timezone.localdate())
    start = params.day(request, "from", max(as_of - timedelta(days=300), params.FIRST_DAY))
    root = scope_root(request.user)
    code = params.text(request, "region")
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
        charts = all_charts(Scope(self.request.user, region, as_of, start))
        context.update(
            charts=[(chart, chart.option()) for chart in charts],
            echarts=bool(finders.find("echarts/echarts.min.js")),
            ancestors=Region.objects.visible_to(self.request.user)
            .filter(code__in=ancestor_codes(region.prefix))
            .order_by("code"),
            region=region,
            as_of=as_of,
            start=start,
            groups=[(GROUPS[key], figures) for key, figures in groups.items()],
            children=Region.objects.visible_to(self.request.user)
            .filter(parent=region)
            .order_by("code"),
        )
        return context


RECORD_COLUMNS = [
    Column("记录", lambda r: r.label, 48),
    Column("区划", lambda r: r.region, 20),
    Column("日期", lambda r: r.on, 12),
    Column("金额（元）", lambda r: r.amount, 16),
]


def figure_or_404(request: Any, key: str) -> tuple[Figure, Region, date, date]:
    region, as_of, start = parameters(request)
    figure = find(request.user, region, as_of, start, key)
    if figure is None:
        raise Http404("没有这项统计")
    return figure, region, as_of, start


class RecordsView(TemplateView):
    """The records one figure counts: as many rows as the figure says, each linking to its
    record; exportable like every list."""

    scope_exempt = "记录取自统计数字本身的查询，均经各业务模块的 visible_to(user)"
    template_name = "reports/records.html"
    paginate_by = 50

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export = params.choice(request, "export", EXPORTERS)
        params.page_number(request)
        if export:
            figure, region, as_of, _ = figure_or_404(request, kwargs["key"])
            record_event(
                Action.EXPORT,
                request=request,
                target=f"统计明细 {figure.key} {region.code} {as_of}",
            )
            return EXPORTERS[export](f"{figure.label}明细", RECORD_COLUMNS, figure.rows())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        figure, region, as_of, start = figure_or_404(self.request, kwargs["key"])
        records, row = figure.source()
        page = Paginator(records, self.paginate_by).get_page(params.page_number(self.request))
        context.update(
            figure=figure,
            region=region,
            as_of=as_of,
            start=start,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query_string=urlencode(
                {"region": region.code, "as_of": as_of.isoformat(), "from": start.isoformat()}
            ),
            rows=[row(record) for record in page.object_list],
            money=figure.unit == "元",
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
        context["pdf_available"] = output.office() is not None
        return context


def briefing_file(request: Any, fmt: str) -> HttpResponse:
    """The briefing for the request's region and dates as html, docx or pdf."""
    if fmt not in output.FORMATS:
        raise Http404("通报格式只能是 html、docx 或 pdf")
    region, as_of, start = parameters(request)
    document = briefing.build(request.user, region, as_of, start)
    try:
        content = output.render(document, fmt)
    except output.OfficeMissing as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    record_event(Action.EXPORT, request=request, target=f"通报 {region.code} {as_of} {fmt}")
    kind = output.FORMATS[fmt]
    response = HttpResponse(content, content_type=kind.content_type)
    name = f"{document.title}_{as_of:%Y%m%d}.{kind.extension}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


class BriefingFileView(View):
    """The same briefing as a file: .docx laid out per GB/T 9704, its PDF, or standalone HTML."""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        return briefing_file(request, fmt)


#: The query of every report: a region in the user's scope and two days.
REPORT_PARAMETERS = [
    OpenApiParameter("region", str, description="区划代码（默认为用户的管辖区划）"),
    OpenApiParameter("as_of", DAY, description="截止日期（YYYY-MM-DD），默认今天"),
    OpenApiParameter("from", DAY, description="对比起点（YYYY-MM-DD），默认截止日期前300天"),
]
FIGURE = inline_serializer(
    name="Figure",
    fields={
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "value": serializers.JSONField(help_text="件数为整数，金额（元）为十进制字符串"),
        "unit": serializers.CharField(),
        "url": serializers.CharField(),
        "ledger_url": serializers.CharField(),
    },
)
FIGURES = inline_serializer(
    name="Figures",
    fields={
        "region": serializers.CharField(),
        "as_of": serializers.DateField(),
        "from": serializers.DateField(),
        "figures": inline_serializer(
            name="FigureGroups",
            fields={key: FIGURE.__class__(many=True) for key in GROUPS},
        ),
        "charts": inline_serializer(
            name="Chart",
            many=True,
            fields={
                "key": serializers.CharField(),
                "title": serializers.CharField(),
                "categories": serializers.ListField(child=serializers.CharField()),
                "series": inline_serializer(
                    name="ChartSeries",
                    many=True,
                    fields={
                        "name": serializers.CharField(),
                        "figures": FIGURE.__class__(many=True),
                    },
                ),
            },
        ),
    },
)


class FiguresApiView(ApiViewMixin, APIView):
    """全部统计数字：``?region=CODE&as_of=YYYY-MM-DD&from=YYYY-MM-DD``，按当前用户范围统计。"""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"

    @extend_schema(parameters=REPORT_PARAMETERS, responses=FIGURES)
    def get(self, request: Request) -> Response:
        region, as_of, start = parameters(request)
        groups = all_figures(request.user, region, as_of, start)
        return Response(
            {
                "region": region.code,
                "as_of": as_of.isoformat(),
                "from": start.isoformat(),
                "figures": {key: [f.as_dict() for f in figures] for key, figures in groups.items()},
                "charts": [
                    chart.as_dict()
                    for chart in all_charts(Scope(request.user, region, as_of, start))
                ],
            }
        )


class BriefingApiView(ApiViewMixin, APIView):
    """通报文件：``briefing.html|docx|pdf?region=CODE&as_of=YYYY-MM-DD&from=YYYY-MM-DD``，按当前用户范围统计；
    未安装 LibreOffice 时 pdf 返回 503。"""

    scope_exempt = "只通过各业务模块的 visible_to(user) 统计，区划限于用户范围"

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(output.FORMATS)),
            *REPORT_PARAMETERS,
        ],
        responses={
            (200, "text/html"): OpenApiTypes.STR,
            (200, output.FORMATS["docx"].content_type): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (503, "text/plain"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, fmt: str) -> HttpResponse:
        return briefing_file(request, fmt)


def ledger_views() -> list[Any]:
    """Every list page that exports a ledger, in the order offices file them."""
    from baolei.cadres.views import AdjustmentListView, RosterView
    from baolei.cases.views import CaseListView
    from baolei.clues.views import ClueListView
    from baolei.coordination.views import MechanismListView, MeetingListView
    from baolei.ledger.views import LedgerListView
    from baolei.screening.views import ScreeningListView
    from baolei.supervision.views import ProblemListView

    return [
        LedgerListView,
        ScreeningListView,
        RosterView,
        AdjustmentListView,
        ProblemListView,
        MeetingListView,
        MechanismListView,
        ClueListView,
        CaseListView,
    ]


class LedgerZipView(View):
    """All ledgers of the user's scope in one .zip of office-layout workbooks; over
    ``settings.EXPORT_JOB_ROWS`` rows in all it is written by a worker (我的导出)."""

    scope_exempt = "每本台账都由对应列表页的 visible_to(user) 查询生成"
    title = "全部台账"

    def ledgers(self, request: HttpRequest) -> list[Any]:
        views = []
        for view_class in ledger_views():
            view = view_class()
            view.setup(request)
            views.append(view)
        return views

    def get(self, request: HttpRequest) -> HttpResponse:
        job = getattr(request, "export_job", None)
        views = self.ledgers(request)
        if job is not None:  # the worker's side (baolei.core.export_jobs)
            write_ledgers(request.export_target, views, lambda n: export_jobs.progress(job, n))  # type: ignore[attr-defined]
            return HttpResponse(status=204)
        total = sum(view.get_queryset().count() for view in views)
        queued = total > settings.EXPORT_JOB_ROWS
        record_event(
            Action.EXPORT,
            request=request,
            target=self.title,
            detail={"ledgers": len(views), "rows": total} | ({"queued": True} if queued else {}),
        )
        if queued:
            job = export_jobs.queue(request, self.title, "zip", total)
            messages.info(request, f"全部台账共 {total} 行，已转入后台生成；完成后在本页下载。")
            return redirect("web:export_job", pk=job.pk)
        buffer = io.BytesIO()
        write_ledgers(buffer, views, None)
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        today = timezone.localdate()
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(f'{self.title}_{today:%Y%m%d}.zip')}"
        )
        return response


def write_ledgers(target: Any, views: list[Any], on_row: Any) -> None:
    """One streamed workbook per ledger; ``on_row`` hears the rows written in all."""
    before = {"done": 0, "this": 0}

    def tick(rows: int) -> None:
        before["this"] = rows
        if on_row is not None:
            on_row(before["done"] + rows)

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, view in enumerate(views, start=1):
            content = io.BytesIO()
            rows = view.get_queryset().iterator(chunk_size=2000)
            title = view.export_title
            write_xlsx(content, title, view.get_export_columns(), rows, tick)
            archive.writestr(f"{number:02d}_{title}.xlsx", content.getvalue())
            before["done"] += before["this"]
