"""The user's own background imports (我的导入): progress, then the outcome — the counts
and a link to where the import page would have gone, or the errors and their workbook."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.generic import DetailView

from baolei.core import import_jobs
from baolei.core.exports import XLSX
from baolei.core.models import ImportJob
from baolei.core.views_base import ScopedListView, ScopedViewMixin


class ImportJobListView(ScopedListView):
    model = ImportJob
    template_name = "web/import_jobs.html"
    paginate_by = 20

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        import_jobs.sweep_stale()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            job_rows=settings.IMPORT_JOB_ROWS, keep_hours=settings.EXPORT_KEEP_HOURS, **kwargs
        )


class ImportJobView(ScopedViewMixin, DetailView):
    model = ImportJob
    template_name = "web/import_job.html"
    context_object_name = "job"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        import_jobs.sweep_stale()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        job = self.object
        return super().get_context_data(
            progress=import_jobs.progress(job),
            has_workbook=import_jobs.errors_path(job) is not None,
            **kwargs,
        )


class ImportJobErrorsView(ScopedViewMixin, DetailView):
    """The error workbook of a refused background import, for its requester alone."""

    model = ImportJob

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        path = import_jobs.errors_path(self.get_object())
        if path is None:
            raise Http404("错误清单不存在或已过期。")
        response = FileResponse(path.open("rb"), as_attachment=True, filename="导入错误清单.xlsx")
        response["Content-Type"] = XLSX
        return response
