"""Every write of a notification.

``notify`` is called by the service that performs the event, inside its transaction:
an event that fails leaves no notification, and the e-mail (when configured) leaves
only after the event has been committed.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.utils import timezone

from baolei.accounts.models import User
from baolei.core import policy
from baolei.notices.models import Kind, Notification

log = logging.getLogger(__name__)


def who_may(record: models.Model, candidates: Iterable[User], rule: str = "") -> list[User]:
    """The candidates who see ``record`` and, where ``rule`` names the action the event
    asks of them, may take it: a notification goes only to who can follow its link."""
    rows = type(record)._default_manager
    found: list[User] = []
    for user in candidates:
        if not user.is_active or user.pk in {u.pk for u in found}:
            continue
        if not rows.visible_to(user).filter(pk=record.pk).exists():  # type: ignore[attr-defined]
            continue
        if rule and not policy.allows(user, rule, record):
            continue
        found.append(user)
    return found


@transaction.atomic
def notify(
    kind: str,
    record: models.Model,
    recipients: Iterable[User],
    text: str,
    link: str,
    *,
    once_key: str = "",
) -> list[Notification]:
    """One notification per recipient (each once), in the caller's transaction."""
    record_type = ContentType.objects.get_for_model(record)
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            text=text[:500],
            link=link,
            record_type=record_type,
            record_id=record.pk,
            once_key=once_key,
        )
        for user in people
    ]
    Notification.objects.bulk_create(rows)
    addresses = [user.email for user in people if user.email]
    if settings.NOTICE_EMAIL and addresses:
        subject = f"【堡垒】{Kind(kind).label}"
        body = f"{text}\n\n{settings.NOTICE_SITE_URL}{link}\n"
        transaction.on_commit(lambda: send_email(subject, body, addresses))
    return rows


def send_email(subject: str, body: str, addresses: list[str]) -> None:
    """One message per recipient, over one connection. The event is committed by now: a
    mail server that refuses is logged, never turned into an error page."""
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    try:
        get_connection().send_messages(messages)
    except (OSError, smtplib.SMTPException):
        log.warning("notification e-mail not sent to %d recipients", len(addresses), exc_info=True)


def sent_keys(records: models.QuerySet[Any]) -> set[tuple[int, str]]:
    """(record id, once key) of the time-driven notifications already sent for these records."""
    rows = Notification.objects.filter(
        record_type=ContentType.objects.get_for_model(records.model),
        record_id__in=records.values("pk"),
    ).exclude(once_key="")
    return set(rows.values_list("record_id", "once_key"))


@transaction.atomic
def mark_read(*, actor: User, notice: Notification) -> Notification:
    """标为已读: only the recipient's own notification (another's is not found)."""
    notice = Notification.objects.visible_to(actor).select_for_update().get(pk=notice.pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    """全部标为已读: every unread notification of the actor; returns how many."""
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())
