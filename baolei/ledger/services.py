"""Every write to the ledger: one named, transactional call that takes ``actor=``.

Changes to an item are kept by its record history; progress entries,
acceptances and deadline changes are dated rows of their own, never edited.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone

from baolei.accounts.models import Agency, Role, User
from baolei.core import policy
from baolei.core.errors import StaleVersion
from baolei.ledger import numbers
from baolei.ledger.calendar import work_calendar
from baolei.ledger.evidence import sniff
from baolei.ledger.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Acceptance,
    AcceptanceResult,
    DayKind,
    DeadlineChange,
    DeadlineChangeKind,
    Evidence,
    LedgerItem,
    ProgressEntry,
    SourceKind,
    Status,
)
from baolei.ledger.workdays import CalendarMissing
from baolei.notices import services as notices
from baolei.notices.models import Kind as NoticeKind
from baolei.regions.models import Region

EDITORS = (Role.CLERK, Role.REVIEWER)
EDITABLE_FIELDS = (
    "title",
    "description",
    "region",
    "owner_agency",
    "responsible_person",
    "responsible_user",
    "supervising_leader",
    "measures",
    "source_kind",
)


def require_visible(actor: User, item: LedgerItem) -> LedgerItem:
    if not LedgerItem.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise PermissionDenied("该台账事项不在您的管理范围内。")
    return item


def require_editor(actor: User, item: LedgerItem | None = None) -> None:
    if not actor.has_role(*EDITORS):
        raise PermissionDenied("只有录入员或审核员可以修改台账。")
    if item is not None:
        require_visible(actor, item)
        policy.require(actor, "ledger.edit", item)


def compute_deadline(start: date, days: int, kind: DayKind) -> date:
    """N calendar or working days from a start date (the start itself not counted)."""
    if kind == DayKind.CALENDAR:
        return start + timedelta(days=days)
    try:
        return work_calendar().add_working_days(start, days)
    except CalendarMissing as exc:
        raise ValidationError({"deadline_days": str(exc)}) from None


def check_scope(actor: User, region: Region, agency: Agency) -> None:
    errors = {}
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        errors["region"] = "所属区划不在您的管理范围内。"
    if not Agency.objects.visible_to(actor).filter(pk=agency.pk).exists():
        errors["owner_agency"] = "责任单位不在您的管理范围内。"
    if errors:
        raise ValidationError(errors)


#: The PostgreSQL advisory lock under which ledger numbers are issued.
KEY_LOCK = 0x5A4C4B59


def next_key(today: date, source_kind: str = SourceKind.NONE) -> str:
    """The next number of the item's kind and year (督改〔2026〕0008号), inside the creating
    transaction. Two creations at once must not take the same number: on PostgreSQL the
    second waits on a transaction-level advisory lock until the first commits (SQLite
    runs one write transaction at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [KEY_LOCK])
    prefix = numbers.prefix_for(source_kind)
    start = numbers.head(prefix, today.year)
    # The longest, then greatest, number is the last one, past 9999 as well.
    last = (
        LedgerItem.objects.filter(key__startswith=start, key__endswith="号")
        .order_by(Length("key").desc(), "-key")
        .values_list("key", flat=True)
        .first()
    )
    sequence = (numbers.sequence_of(last) or 0) + 1 if last else 1
    key = numbers.format_key(prefix, today.year, sequence)
    while LedgerItem.objects.filter(key=key).exists():  # an imported sheet may hold it
        sequence += 1
        key = numbers.format_key(prefix, today.year, sequence)
    return key


@transaction.atomic
def create_item(
    *,
    actor: User,
    title: str,
    region: Region,
    owner_agency: Agency,
    responsible_person: str,
    deadline: date | None = None,
    deadline_start_on: date | None = None,
    deadline_days: int | None = None,
    deadline_day_kind: str = "",
    key: str = "",
    source: Any = None,
    **fields: Any,
) -> LedgerItem:
    """A deadline is either a date or N calendar/working days from a start date."""
    require_editor(actor)
    check_scope(actor, region, owner_agency)
    if not responsible_person.strip():
        raise ValidationError({"responsible_person": "必须填写责任人。"})
    if deadline is None:
        if deadline_start_on is None or not deadline_days or not deadline_day_kind:
            raise ValidationError({"deadline": "请填写整改时限，或起算日与天数。"})
        deadline = compute_deadline(deadline_start_on, deadline_days, DayKind(deadline_day_kind))
    elif deadline_start_on is not None and deadline < deadline_start_on:
        raise ValidationError({"deadline": "整改时限不能早于起算日。"})
    item = LedgerItem(
        key=key or next_key(timezone.localdate(), fields.get("source_kind", SourceKind.NONE)),
        title=title,
        region=region,
        owner_agency=owner_agency,
        responsible_person=responsible_person.strip(),
        deadline=deadline,
        deadline_start_on=deadline_start_on,
        deadline_days=deadline_days,
        deadline_day_kind=deadline_day_kind,
        created_by=actor,
        **fields,
    )
    if source is not None:
        item.source = source
    item.full_clean(exclude=["source_type", "source_id", "created_by"])
    item.save()
    return item


def lock(item: LedgerItem, version: int | None) -> LedgerItem:
    """Re-read the row under lock; refuse if someone saved it since ``version``."""
    current = LedgerItem.objects.select_for_update().get(pk=item.pk)
    if version is not None and current.version != version:
        raise StaleVersion(
            f"该事项已被他人修改（当前版本 {current.version}，您打开的是版本 {version}），"
            "请刷新后重新填写，您的修改未保存。",
            code="stale",
        )
    return current


def note_latest(item: LedgerItem) -> None:
    """The item's latest progress date and acceptance result, from its entries (kept on
    the item for the warnings; derived, so outside its record history)."""
    latest = Acceptance.objects.filter(item=item).order_by("-on", "-recorded_at")
    item.latest_progress_on = ProgressEntry.objects.filter(item=item).aggregate(on=Max("on"))["on"]
    item.latest_result = latest.values_list("result", flat=True).first() or ""
    LedgerItem.objects.filter(pk=item.pk).update(
        latest_progress_on=item.latest_progress_on, latest_result=item.latest_result
    )


def note_latest_of(rows: QuerySet[LedgerItem]) -> None:
    """``note_latest`` for many items at once (after entries were loaded in bulk)."""
    latest = Acceptance.objects.filter(item=OuterRef("pk")).order_by("-on", "-recorded_at")
    last_on = (
        ProgressEntry.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(on=Max("on"))
        .values("on")
    )
    rows.update(
        latest_progress_on=Subquery(last_on),
        latest_result=Coalesce(Subquery(latest.values("result")[:1]), Value("")),
    )


def bump(item: LedgerItem, reason: str = "") -> None:
    item.version += 1
    item._change_reason = reason  # type: ignore[attr-defined]
    item.save()


@transaction.atomic
def update_item(
    *, actor: User, item: LedgerItem, version: int | None, **changes: Any
) -> LedgerItem:
    """Edit the item's description fields; a stale version is refused, nothing overwritten."""
    require_editor(actor, item)
    current = lock(item, version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能直接修改：{'、'.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(current, field, value)
    check_scope(actor, current.region, current.owner_agency)
    current.full_clean(exclude=["source_type", "source_id", "created_by"])
    bump(current)
    return current


@transaction.atomic
def start_item(*, actor: User, item: LedgerItem, reason: str) -> LedgerItem:
    """Move a not-started item into progress, as an imported office sheet states it."""
    require_editor(actor, item)
    current = lock(item, None)
    if current.status != Status.NOT_STARTED:
        raise ValidationError(f"编号 {current.key} 已是“{current.get_status_display()}”。")
    current.status = Status.IN_PROGRESS
    bump(current, reason)
    return current


@transaction.atomic
def add_progress(
    *, actor: User, item: LedgerItem, on: date, text: str, corrects: ProgressEntry | None = None
) -> ProgressEntry:
    """A progress report moves a not-started item into progress; a correction references the entry it corrects."""
    current = lock(require_visible(actor, item), None)
    policy.require(actor, "ledger.progress", current)
    if current.status not in OPEN_STATUSES:
        raise ValidationError("该事项已办结或撤销，不能再报送进展。")
    if on > timezone.localdate():
        raise ValidationError({"on": "进展日期不能晚于今天。"})
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况。"})
    if corrects is not None and corrects.item_id != current.pk:
        raise ValidationError({"corrects": "只能更正本事项的进展。"})
    entry = ProgressEntry.objects.create(
        item=current, on=on, text=text.strip(), corrects=corrects, recorded_by=actor
    )
    note_latest(current)
    if current.status == Status.NOT_STARTED:
        current.status = Status.IN_PROGRESS
        bump(current, "报送进展")
    return entry


@transaction.atomic
def review_long_term(*, actor: User, item: LedgerItem, on: date, text: str) -> ProgressEntry:
    """长期坚持: a long-term item is checked again periodically; each check is a progress
    entry and sets the next review date."""
    current = lock(require_visible(actor, item), None)
    policy.require(actor, "ledger.review", current)
    if current.status != Status.DONE_LONG_TERM:
        raise ValidationError("只有“已完成·长期坚持”的事项需要定期复查。")
    if not text.strip():
        raise ValidationError({"text": "请填写复查情况。"})
    entry = ProgressEntry.objects.create(
        item=current, on=on, text=f"长期坚持复查：{text.strip()}", recorded_by=actor
    )
    note_latest(current)
    current.review_on = on + timedelta(days=settings.LEDGER_LONG_TERM_REVIEW_DAYS)
    bump(current, "长期坚持复查")
    return entry


@transaction.atomic
def attach_evidence(*, actor: User, item: LedgerItem, upload: UploadedFile) -> Evidence:
    """佐证材料: office documents, PDF and images only, judged by content, within the size limit."""
    require_visible(actor, item)
    policy.require(actor, "ledger.evidence", item)
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": f"文件过大：上限为 {settings.EVIDENCE_MAX_MB} MB。"})
    kind = sniff(upload.file)  # type: ignore[arg-type]
    if kind is None:
        raise ValidationError(
            {
                "file": "不支持的文件：只能上传 Word、Excel、PowerPoint、PDF 或图片（按文件内容判断，而非扩展名）。"
            }
        )
    name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
    return Evidence.objects.create(
        item=item, file=upload, name=name, kind=kind, size=upload.size, uploaded_by=actor
    )


@transaction.atomic
def accept_item(
    *,
    actor: User,
    item: LedgerItem,
    on: date,
    result: str,
    notes: str = "",
    long_term: bool = False,
) -> Acceptance:
    """验收 by a reviewer of an agency other than the owner; accepted → done, returned → in progress."""
    current = lock(require_visible(actor, item), None)
    policy.require(actor, "ledger.accept", current)
    reviewer_agency = actor.agency
    if reviewer_agency is None:  # the policy admits only users of an agency
        raise PermissionDenied("您的账户尚未分配单位。")
    if current.status not in OPEN_STATUSES:
        raise ValidationError("该事项已办结或撤销，不能验收。")
    if result == AcceptanceResult.RETURNED and not notes.strip():
        raise ValidationError({"notes": "退回整改必须写明理由。"})
    if on > timezone.localdate():
        raise ValidationError({"on": "验收日期不能晚于今天。"})
    acceptance = Acceptance.objects.create(
        item=current,
        on=on,
        result=result,
        notes=notes.strip(),
        reviewer=actor,
        reviewer_agency=reviewer_agency,
        long_term=long_term and result == AcceptanceResult.ACCEPTED,
    )
    note_latest(current)
    if result == AcceptanceResult.ACCEPTED:
        current.status = Status.DONE_LONG_TERM if long_term else Status.DONE
        if long_term:
            current.review_on = on + timedelta(days=settings.LEDGER_LONG_TERM_REVIEW_DAYS)
    else:
        current.status = Status.IN_PROGRESS
    bump(current, acceptance.get_result_display())
    if result == AcceptanceResult.RETURNED:
        notify_returned(current, acceptance)
    return acceptance


def require_manager(actor: User, item: LedgerItem, action: str) -> None:
    require_visible(actor, item)
    policy.require(actor, f"ledger.{action}", item)


@transaction.atomic
def extend_deadline(
    *, actor: User, item: LedgerItem, new_deadline: date, reason: str
) -> DeadlineChange:
    """延期: a later deadline with a reason, kept as a dated change."""
    require_manager(actor, item, "extend")
    current = lock(item, None)
    if not reason.strip():
        raise ValidationError({"reason": "请说明延期理由。"})
    if new_deadline <= current.deadline:
        raise ValidationError({"new_deadline": "延期后的时限必须晚于原时限。"})
    if current.status not in OPEN_STATUSES:
        raise ValidationError("该事项已办结或撤销，不能延期。")
    change = DeadlineChange.objects.create(
        item=current,
        kind=DeadlineChangeKind.EXTENSION,
        reason=reason.strip(),
        old_deadline=current.deadline,
        new_deadline=new_deadline,
        recorded_by=actor,
    )
    current.deadline = new_deadline
    bump(current, f"延期：{reason.strip()}")
    return change


@transaction.atomic
def suspend_item(*, actor: User, item: LedgerItem, on: date, reason: str) -> LedgerItem:
    """中止计时: the clock stops on ``on``; no warning while suspended."""
    require_manager(actor, item, "suspend")
    current = lock(item, None)
    if current.suspended_on is not None:
        raise ValidationError("该事项已中止计时。")
    if current.status not in OPEN_STATUSES:
        raise ValidationError("该事项已办结或撤销，不能中止计时。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明中止计时的理由。"})
    current.suspended_on = on
    bump(current, f"中止计时：{reason.strip()}")
    return current


@transaction.atomic
def resume_item(
    *, actor: User, item: LedgerItem, on: date, reason: str = "恢复计时"
) -> DeadlineChange:
    """恢复计时: the deadline moves by the length of the suspension."""
    require_manager(actor, item, "resume")
    current = lock(item, None)
    if current.suspended_on is None:
        raise ValidationError("该事项未中止计时。")
    if on < current.suspended_on:
        raise ValidationError({"on": "恢复日期不能早于中止日期。"})
    length = (on - current.suspended_on).days
    change = DeadlineChange.objects.create(
        item=current,
        kind=DeadlineChangeKind.SUSPENSION,
        reason=reason.strip() or "恢复计时",
        old_deadline=current.deadline,
        new_deadline=current.deadline + timedelta(days=length),
        starts_on=current.suspended_on,
        ends_on=on,
        recorded_by=actor,
    )
    current.deadline = change.new_deadline
    current.suspended_on = None
    bump(current, f"恢复计时，顺延 {length} 天")
    return change


@transaction.atomic
def cancel_item(*, actor: User, item: LedgerItem, reason: str) -> LedgerItem:
    require_manager(actor, item, "cancel")
    current = lock(item, None)
    if current.status in DONE_STATUSES:
        raise ValidationError("已完成的事项不能撤销。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明撤销原因。"})
    current.status = Status.CANCELLED
    current.cancel_reason = reason.strip()
    bump(current, f"撤销：{reason.strip()}")
    return current


def who_answers(item: LedgerItem) -> list[User]:
    """Who must act on the item: the owner agency's users and the responsible person,
    those of them who see it and may report its progress."""
    candidates = User.objects.filter(
        Q(agency=item.owner_agency_id) | Q(pk=item.responsible_user_id), is_active=True
    ).select_related("agency__region")
    return notices.who_may(item, candidates, "ledger.progress")


def notify_returned(item: LedgerItem, acceptance: Acceptance) -> None:
    """退回整改: who answers for the item is told why, in the acceptance's transaction."""
    notices.notify(
        NoticeKind.ITEM_RETURNED,
        item,
        who_answers(item),
        f"台账事项 {item.key}（{item.title[:40]}）被{acceptance.reviewer_agency.name}"
        f"退回整改：{acceptance.notes[:80]}",
        reverse("ledger:detail", args=[item.pk]),
    )


#: The warning levels a deadline notification is sent at, each once per item and deadline.
DEADLINE_NOTICES = {"blue": NoticeKind.DEADLINE_NEAR, "red": NoticeKind.DEADLINE_PASSED}


def deadline_level(item: LedgerItem, today: date, near: date) -> str:
    """三色督办 on the deadline alone: red when past it, blue when due by ``near``."""
    if item.deadline < today:
        return "red"
    return "blue" if item.deadline <= near else ""


def notify_deadlines(today: date | None = None) -> int:
    """Tells who answers for each open, running item once when it enters the blue window
    (due within LEDGER_BLUE_WORKING_DAYS working days) and once when it becomes overdue;
    an extended deadline warns again. Safe to run as often as wished; returns how many
    notifications were sent."""
    from baolei.ledger.queries import blue_limit

    today = today or timezone.localdate()
    near = blue_limit(today)
    items = LedgerItem.objects.filter(
        status__in=OPEN_STATUSES, suspended_on__isnull=True, deadline__lte=near
    ).select_related("owner_agency", "region")
    sent = notices.sent_keys(items)
    count = 0
    for item in items:
        level = deadline_level(item, today, near)
        key = f"{level}:{item.deadline:%Y-%m-%d}"
        if (item.pk, key) in sent:
            continue
        try:
            with transaction.atomic():
                count += len(notify_deadline(item, level, key))
        except IntegrityError:  # a run at the same moment has just sent it
            continue
    return count


def notify_deadline(item: LedgerItem, level: str, key: str) -> list[Any]:
    due = f"{item.deadline:%Y-%m-%d}"
    text = (
        f"台账事项 {item.key}（{item.title[:40]}）已于 {due} 到期，仍未办结"
        if level == "red"
        else f"台账事项 {item.key}（{item.title[:40]}）将于 {due} 到期，请抓紧整改"
    )
    return notices.notify(
        DEADLINE_NOTICES[level],
        item,
        who_answers(item),
        text,
        reverse("ledger:detail", args=[item.pk]),
        once_key=key,
    )
