"""通知: the signed-in user's own notifications — the list, opening one, marking read."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from baolei.core import params
from baolei.core.outcomes import ActionView, Operation
from baolei.core.views_base import ScopedListView
from baolei.notices import queries, services
from baolei.notices.models import Notification

OWN_ONLY = "只办理本人的通知：通知只对接收人可见，他人的通知不存在（404）"


class NoticeListView(ScopedListView):
    """All of the user's notifications, unread first; ``?show=unread`` for the unread only."""

    model = Notification
    template_name = "notices/notice_list.html"
    paginate_by = 20

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        if params.choice(self.request, "show", ["unread", "all"], "all") == "unread":
            rows = rows.unread()  # type: ignore[attr-defined]
        return queries.in_list_order(rows)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["show"] = params.choice(self.request, "show", ["unread", "all"], "all")
        return context


class OpenView(ActionView):
    """打开通知: marks it read and goes on to its record (a POST: it changes state)."""

    policy_exempt = OWN_ONLY
    model = Notification
    record_name = "notice"
    default_action = "open"
    actions: ClassVar[dict[str, Operation]] = {"open": Operation(services.mark_read)}

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        link = record.link
        if not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
            link = reverse("notices:list")
        return redirect(link)


class ReadView(ActionView):
    """标为已读, staying on the list."""

    policy_exempt = OWN_ONLY
    model = Notification
    record_name = "notice"
    default_action = "read"
    actions: ClassVar[dict[str, Operation]] = {
        "read": Operation(services.mark_read, done="已标为已读")
    }

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("notices:list")


class ReadAllView(ActionView):
    """全部标为已读."""

    policy_exempt = OWN_ONLY
    model = Notification
    default_action = "read_all"
    actions: ClassVar[dict[str, Operation]] = {
        "read_all": Operation(services.mark_all_read, done="已全部标为已读")
    }

    def get_record(self) -> Any:
        return None

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        return super().respond(name, record, errors, f"已全部标为已读（{result} 条）。", result)

    def back_to(self, record: Any, result: Any) -> str:
        return reverse("notices:list")
