"""The user's own background exports: progress, then the download (kept a day)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.generic import DetailView

from baolei.core import export_jobs, security_log
from baolei.core.models import ExportJob
from baolei.core.views_base import ScopedListView, ScopedViewMixin


class ExportJobListView(ScopedListView):
    model = ExportJob
    template_name = "web/export_jobs.html"
    paginate_by = 20

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        export_jobs.sweep_stale()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            job_rows=settings.EXPORT_JOB_ROWS, keep_hours=settings.EXPORT_KEEP_HOURS, **kwargs
        )


class ExportJobView(ScopedViewMixin, DetailView):
    model = ExportJob
    template_name = "web/export_job.html"
    context_object_name = "job"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        export_jobs.sweep_stale()
        return super().get(request, *args, **kwargs)


class ExportDownloadView(ScopedViewMixin, DetailView):
    model = ExportJob

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        job = self.get_object()
        path = export_jobs.file_path(job) if job.downloadable else None
        if path is None or not path.exists():
            raise Http404("文件不存在或已过期，请重新导出。")
        security_log.record(
            security_log.EXPORT,
            request=request,
            target=job.title,
            detail={"job": job.pk, "rows": job.total, "format": job.format, "download": True},
        )
        name = f"{job.title}_{timezone.localtime(job.created_at):%Y%m%d}.{job.format}"
        response = FileResponse(path.open("rb"), as_attachment=True)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
