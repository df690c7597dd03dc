"""The briefing as a file: HTML, DOCX (GB/T 9704) or PDF (the same DOCX through LibreOffice).

The official fonts are named in the DOCX; where they are not installed, the PDF is
rendered with free substitutes chosen through a fontconfig file of our own, so the
conversion never depends on what the server happens to alias."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.template.loader import render_to_string

from baolei.reports import briefing
from baolei.reports.briefing import BODY_FONT, HEADING_FONT, PAGE_FONT, TITLE_FONT, Briefing

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str


FORMATS = {
    "html": Format("text/html; charset=utf-8", "html"),
    "docx": Format(DOCX, "docx"),
    "pdf": Format("application/pdf", "pdf"),
}

# Free fonts (Debian fonts-noto-cjk) standing in for the official ones when rendering.
SUBSTITUTES = {
    TITLE_FONT: "Noto Serif CJK SC",
    BODY_FONT: "Noto Serif CJK SC",
    HEADING_FONT: "Noto Sans CJK SC",
    PAGE_FONT: "Noto Serif CJK SC",
}


class OfficeMissing(RuntimeError):
    """LibreOffice is not installed, so there is no PDF; the DOCX is always available."""


def render(document: Briefing, fmt: str) -> bytes:
    if fmt == "html":
        html = render_to_string("reports/briefing_standalone.html", {"briefing": document})
        return html.encode("utf-8")
    docx = briefing.to_docx(document)
    return to_pdf(docx) if fmt == "pdf" else docx


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig() -> str:
    aliases = "".join(
        f"<alias binding='same'><family>{escape(official)}</family>"
        f"<prefer><family>{escape(free)}</family></prefer></alias>"
        for official, free in SUBSTITUTES.items()
    )
    return (
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        f"<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}</fontconfig>"
    )


def to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice in a profile and folder of its own, so that two
    conversions at once never share (and lock) one user profile."""
    program = office()
    if program is None:
        raise OfficeMissing(
            "未安装 LibreOffice，无法生成 PDF（apt-get install libreoffice-writer-nogui "
            "fonts-noto-cjk），可先下载 Word 版 / LibreOffice is not installed"
        )
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        source = folder / "briefing.docx"
        source.write_bytes(docx)
        (folder / "fonts.conf").write_text(fontconfig(), encoding="utf-8")
        environment = {**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")}
        subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
            [
                program,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env=environment,
        )
        return (folder / "briefing.pdf").read_bytes()
