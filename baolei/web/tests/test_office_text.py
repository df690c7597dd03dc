"""Text that .xlsx and .docx cannot hold (control characters) is cleaned where every
export and document is written; the stored text keeps what the user typed."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from baolei.core.exports import office_text
from baolei.core.views_base import ScopedListView
from baolei.ledger.models import LedgerItem
from baolei.web.tests.test_scoping import ROUTES, record_kwargs

TYPED = "控\x0b制\x1f符"
CLEAN = "控制符"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_office_text_drops_only_what_xml_cannot_hold() -> None:
    assert office_text("a\x00b\x0bc\x1fd\ufffee\ud800f") == "abcdef"
    assert office_text("行一\n行二\t列\r") == "行一\n行二\t列\r"
    assert office_text("𠀀 emoji 😀") == "𠀀 emoji 😀"


def plain_text_fields(model: type[models.Model]) -> list[str]:
    """Free-text fields a user types: no choices, not unique, not keys or codes."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.unique
        and not f.primary_key
        and f.name not in {"code", "key", "number", "password", "username"}
        and "hash" not in f.name
        and not f.name.endswith(("_cipher", "_ciphertext", "_encrypted"))
        and f.__class__.__module__.startswith("django.")
    ]


@pytest.fixture
def typed_with_controls(world: Any) -> int:
    """Every free-text field of every record in the cast ends with control characters."""
    touched = 0
    for model in apps.get_models():
        if not model.__module__.startswith("baolei.") or model._meta.app_label == "audit":
            continue
        if model.__name__.startswith("Historical"):
            continue
        names = plain_text_fields(model)
        for row in model._default_manager.all():
            for name in names:
                value = getattr(row, name)
                if isinstance(value, str) and len(value) + len(TYPED) <= (
                    model._meta.get_field(name).max_length or 10_000
                ):
                    setattr(row, name, value + TYPED)
                    touched += 1
            if names:
                model._default_manager.filter(pk=row.pk).update(
                    **{n: getattr(row, n) for n in names}
                )
    return touched


def workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row
    )


def exported_text(response: Any) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX):
        return workbook_text(response.content)
    if kind.startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return " ".join(workbook_text(archive.read(name)) for name in archive.namelist())
    if kind.startswith(DOCX):
        document = Document(io.BytesIO(response.content))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return " ".join([*(p.text for p in document.paragraphs), *cells])
    return ""


def export_urls() -> list[str]:
    urls = []
    for route in ROUTES:
        cls = route.view_class
        if route.kwargs and (record_kwargs(route) or "format" in route.kwargs):
            continue
        if cls is not None and issubclass(cls, ScopedListView) and cls.export_columns:
            urls.append(reverse(route.name) + "?export=xlsx")
    urls += [
        reverse("reports:records", kwargs={"key": "weak_confirmed"}) + "?export=xlsx",
        reverse("reports:ledgers_zip"),
        reverse("reports:briefing_file", kwargs={"fmt": "docx"}),
        reverse("api-briefing", kwargs={"fmt": "docx"}),
    ]
    return urls


def test_every_export_and_document_writes_text_with_control_characters(
    world: Any, client: Any, typed_with_controls: int
) -> None:
    assert typed_with_controls > 50
    item = LedgerItem.objects.get(key="TZ-乙县-0001")
    assert item.title.endswith(TYPED)  # stored as typed
    urls = export_urls()
    assert len(urls) > 15
    cleaned = 0
    for url in urls:
        for persona in ("city_leader", "sysadmin"):  # users' list: the system administrator
            client.force_login(world.users[persona])
            response = client.get(url)
            if response.status_code != 403:
                break
        assert response.status_code == 200, (url, response.status_code)
        text = exported_text(response)
        assert text, url
        assert "\x0b" not in text and "\x1f" not in text
        cleaned += CLEAN in text
    assert cleaned >= 10  # the typed text reached the files, cleaned
    client.force_login(world.city_leader)
    slip = client.get(reverse("ledger:slip", kwargs={"pk": item.pk}))
    assert slip.status_code == 200
    assert "乙县二村整改" + CLEAN in exported_text(slip)
    client.force_login(world.users["auditadmin"])
    events = client.get(reverse("audit:events"), {"export": "xlsx"})
    assert events.status_code == 200


def test_the_region_name_in_a_briefing_title_is_cleaned(world: Any, client: Any) -> None:
    world.city.name = "某\x0b市"
    world.city.save()
    client.force_login(world.city_leader)
    response = client.get(reverse("reports:briefing_file", kwargs={"fmt": "docx"}))
    assert response.status_code == 200
    assert "某市" in exported_text(response)
