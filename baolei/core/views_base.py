"""Base classes every page builds on: the scoped door, role checks, lists with
filtering, sorting, paging and Excel export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.generic import DetailView, ListView

from baolei.core import export_jobs, exports, params, policy, security_log
from baolei.core.exports import EXPORTERS, Column

if TYPE_CHECKING:
    from baolei.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user; LoginRequiredMiddleware guarantees there is one."""
    return cast("User", request.user)


class ScopedViewMixin:
    """Fetches every row through ``Model.objects.visible_to(user)``; out of scope is 404."""

    model: Any
    request: HttpRequest

    def get_queryset(self) -> QuerySet[Any]:
        return self.decorate(self.model._default_manager.visible_to(self.request.user))

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Joins and annotations on top of the scoped rows (none by default)."""
        return rows


class RoleRequiredMixin:
    """403 unless the user holds one of ``required_roles``."""

    required_roles: ClassVar[tuple[str, ...]] = ()
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.required_roles and not request.user.has_role(*self.required_roles):  # type: ignore[union-attr]
            security_log.record(
                security_log.ACCESS_DENIED, request=request, success=False, target=request.path
            )
            raise PermissionDenied("您的角色无权访问此页面。")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def require(
    request: HttpRequest, rule: str, record: Any = None, detail: dict[str, Any] | None = None
) -> None:
    """A page's own check of the action policy: unless ``rule`` allows the user to act
    on ``record``, the refusal goes to the security log and the 403 page says why."""
    if policy.allows(request.user, rule, record):
        return
    target = f"{type(record)._meta.verbose_name} {record.pk}" if record is not None else ""
    security_log.record(
        security_log.ACCESS_DENIED,
        request=request,
        success=False,
        target=target or request.path,
        detail=detail if detail is not None else {"action": rule},
    )
    raise PermissionDenied(policy.reason(request.user, rule, record))


class PolicyRequiredMixin:
    """A page for an action on no record yet (a create form, an import): 403 with the
    rule's Chinese reason unless the action policy allows ``permission``, before the
    form is shown or read; the refusal is in the security log."""

    permission: ClassVar[str] = ""
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.permission:
            require(request, self.permission)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ScopedListView(ScopedViewMixin, ListView):
    """A list page: django-filter form, ``?sort=`` on whitelisted fields, paging, export."""

    paginate_by = 50
    filterset_class: ClassVar[Any] = None
    sort_fields: ClassVar[dict[str, str]] = {}
    default_sort: ClassVar[str] = ""
    export_title: ClassVar[str] = ""
    export_columns: ClassVar[list[Column]] = []

    def get_paginate_by(self, queryset: QuerySet[Any]) -> int:
        return params.page_size(self.request, self.paginate_by, maximum=200, minimum=10)

    def sort_choices(self) -> list[str]:
        return [prefix + name for name in self.sort_fields for prefix in ("", "-")]

    def get_queryset(self) -> QuerySet[Any]:
        rows = super().get_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET, queryset=rows, request=self.request
            )
            rows = self.filterset.qs
        sort = params.choice(self.request, "sort", self.sort_choices(), self.default_sort)
        field = self.sort_fields.get(sort.lstrip("-"))
        if field:
            rows = rows.order_by(("-" if sort.startswith("-") else "") + field, "pk")
        return rows

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export = params.choice(request, "export", EXPORTERS if self.export_columns else [])
        params.page_number(request)
        if export:
            return self.export(request, export)
        return super().get(request, *args, **kwargs)

    def export(self, request: HttpRequest, fmt: str) -> HttpResponse:
        """Up to ``settings.EXPORT_JOB_ROWS`` rows are written in the request; more are
        queued for a worker (baolei.core.export_jobs), which calls this same view and
        lands in ``write_export``."""
        job = getattr(request, "export_job", None)
        if job is not None:
            return self.write_export(job, request.export_target, fmt)  # type: ignore[attr-defined]
        rows = self.get_queryset()
        total = rows.count()
        queued = total > settings.EXPORT_JOB_ROWS
        security_log.record(
            security_log.EXPORT,
            request=request,
            target=self.export_title,
            detail={"path": request.get_full_path(), "rows": total, "format": fmt}
            | ({"queued": True} if queued else {}),
        )
        if queued:
            job = export_jobs.queue(request, self.export_title, fmt, total)
            messages.info(
                request,
                f"共 {total} 行，超过 {settings.EXPORT_JOB_ROWS} 行，已转入后台生成；"
                f"完成后在本页下载，文件保留 {settings.EXPORT_KEEP_HOURS} 小时。",
            )
            return redirect("web:export_job", pk=job.pk)
        return EXPORTERS[fmt](self.export_title, self.get_export_columns(), rows)

    def write_export(self, job: Any, target: Any, fmt: str) -> HttpResponse:
        """The worker's side: every row, read in chunks, streamed into ``target``."""
        rows = self.get_queryset().iterator(chunk_size=2000)
        columns = self.get_export_columns()
        exports.write_file(
            fmt, target, self.export_title, columns, rows, lambda n: export_jobs.progress(job, n)
        )
        return HttpResponse(status=204)

    def get_export_columns(self) -> list[Column]:
        return self.export_columns

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter"] = self.filterset
        context["query_string"] = query.urlencode()
        query.pop("sort", None)
        context["query_without_sort"] = query.urlencode()
        context["sort"] = params.choice(
            self.request, "sort", self.sort_choices(), self.default_sort
        )
        context["can_export"] = bool(self.export_columns)
        return context


class ScopedDetailView(ScopedViewMixin, DetailView):
    """A record page; a record outside the user's scope does not exist (404)."""
