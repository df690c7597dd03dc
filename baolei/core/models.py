"""Big exports, written by a background worker: a list export over
``settings.EXPORT_JOB_ROWS`` rows is queued rather than built inside the request
(which would hold a web worker for tens of seconds and hit the server's timeout),
shows its progress, and ends in a download kept for ``settings.EXPORT_KEEP_HOURS``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RequesterQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> Any:
        """A background job holds what its requester could see (an export's rows, an
        import's file and errors): it is theirs alone."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(requested_by=user)


class RequestedJob(models.Model):
    """What every background job a user asks for keeps: who asked, for what, from which
    page, and the beat that tells a live job from one whose worker died."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"  # type: ignore[attr-defined]


class ExportJobQuerySet(RequesterQuerySet):
    def expired(self) -> ExportJobQuerySet:
        return self.filter(expires_at__lte=timezone.now())


class ExportJob(RequestedJob):
    #: The list page (``path``) and its query string: the worker draws the rows through
    #: that page's own view, as the requester, so the file holds exactly what it lists.
    query = models.TextField(blank=True)
    format = models.CharField("格式", max_length=8)
    status = models.CharField(
        "状态", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写行数", default=0)
    file = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    error = models.CharField("失败原因", max_length=500, blank=True)
    expires_at = models.DateTimeField("下载截止", null=True, blank=True)
    # ``beat_at`` moves on with every batch of rows.

    objects = ExportJobQuerySet.as_manager()

    class Meta(RequestedJob.Meta):
        verbose_name = "后台导出"
        verbose_name_plural = verbose_name

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def list_url(self) -> str:
        """The list page the export came from, with its filters, without the export."""
        query = QueryDict(self.query, mutable=True)
        query.pop("export", None)
        return f"{self.path}?{query.urlencode()}" if query else self.path

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def downloadable(self) -> bool:
        return (
            self.status == ExportStatus.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportJob(RequestedJob):
    """A big spreadsheet import, run by a worker (``baolei.core.import_jobs``): an upload
    of more than ``settings.IMPORT_JOB_ROWS`` data rows is not imported in the request."""

    #: The import page's (``path``) POST form fields, without the csrf token and the
    #: file: the worker posts them again to that page's own view, as the requester.
    fields = models.TextField(blank=True)
    filename = models.CharField("文件名", max_length=255, blank=True)
    #: The saved upload under MEDIA_ROOT/imports/, deleted when the job ends.
    upload = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    phase = models.CharField("阶段", max_length=8, blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已处理行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    #: Where the page would have gone after the import (its redirect).
    next_url = models.CharField(max_length=500, blank=True)
    #: The page's own success message, kept for the record (the job page shows the counts).
    message = models.CharField("结果", max_length=500, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    #: The first errors (importing.MAX_SHOWN) as [row, column, message]; every one is in
    #: the error workbook ``errors_file``.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors_file = models.CharField(max_length=100, blank=True)
    # ``beat_at`` moves on while rows are read and checked; while they are written (one
    # transaction) the beat is kept in the progress file instead (see import_jobs).

    objects = RequesterQuerySet.as_manager()

    class Meta(RequestedJob.Meta):
        verbose_name = "后台导入"
        verbose_name_plural = verbose_name

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def hidden_errors(self) -> int:
        return max(0, self.error_count - len(self.errors))
