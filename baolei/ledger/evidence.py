"""What an uploaded file really is, judged by its content rather than its name."""

from __future__ import annotations

import zipfile
from typing import IO

OOXML_PARTS = {"word/": "Word文档", "xl/": "Excel表格", "ppt/": "PowerPoint演示文稿"}


def sniff(stream: IO[bytes]) -> str | None:
    """Return a short kind name for office documents, PDF and images, else None."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG图片"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG图片"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF图片"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "Office文档（97-2003）"
    if head.startswith(b"PK\x03\x04"):
        return ooxml_kind(stream)
    return None


def ooxml_kind(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None
