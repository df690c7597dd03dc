"""Reads of notifications: always the user's own."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from baolei.notices.models import Notification


def unread_count(user: Any) -> int:
    """The bell's number: one query over the partial index of unread notifications."""
    return Notification.objects.visible_to(user).unread().count()


def in_list_order(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    """Unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return rows.order_by(unread.desc(), "-created_at", "-pk")


def my_notices(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.visible_to(user)
    return in_list_order(rows.unread() if unread_only else rows)
