"""督办单: a printable supervision slip for a warned ledger item (.docx)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from baolei.core.exports import office_text

COLOURS = {
    "red": ("红色督办单", RGBColor(0xC0, 0x00, 0x00)),
    "yellow": ("黄色督办单", RGBColor(0xB8, 0x86, 0x0B)),
    "blue": ("蓝色督办单", RGBColor(0x1F, 0x4E, 0x9A)),
}
REQUESTS = {
    "red": "该事项已超过整改时限，请责任单位立即整改，并于3个工作日内书面报告整改情况及逾期原因。",
    "yellow": "该事项整改进展滞后，请责任单位加快推进，并于5个工作日内报送最新进展及佐证材料。",
    "blue": "该事项即将到达整改时限，请责任单位抓紧推进，按期完成整改并及时申请验收。",
}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def set_font(run: Any, name: str, size: int, bold: bool = False) -> None:
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)
    run.font.size = Pt(size)
    run.bold = bold


def build_slip(item: Any, warning: str, *, issued_by: str, today: date) -> bytes:
    title, colour = COLOURS[warning]
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    set_font(run, "方正小标宋简体", 22, bold=True)
    run.font.color.rgb = colour
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(number.add_run(office_text(f"督办编号：{item.key}")), "仿宋_GB2312", 14)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    last_progress = item.progress.first()
    for label, value in [
        ("督办事项", item.title),
        ("所属区划", item.region.name),
        ("责任单位", item.owner_agency.name),
        ("责任人", item.responsible_person),
        ("包保领导", item.supervising_leader or "—"),
        ("整改措施", "\n".join(f"{i}. {m}" for i, m in enumerate(item.measures, 1)) or "—"),
        ("整改时限", chinese_date(item.deadline)),
        ("整改状态", item.get_status_display()),
        (
            "最近进展",
            f"{chinese_date(last_progress.on)} {last_progress.text}"
            if last_progress
            else "尚未报送进展",
        ),
        ("督办要求", REQUESTS[warning]),
    ]:
        cells = table.add_row().cells
        set_font(cells[0].paragraphs[0].add_run(label), "黑体", 14)
        set_font(cells[1].paragraphs[0].add_run(office_text(value)), "仿宋_GB2312", 14)
    sign = document.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(sign.add_run(office_text(f"\n{issued_by}\n{chinese_date(today)}")), "仿宋_GB2312", 16)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
