"""The briefing (通报): official-style Chinese text whose every figure comes from figures.py.

A paragraph is a list of segments, each either text or a Figure, so the HTML
preview can link every number to its records and the DOCX prints the same words.
Sections whose figures are all zero are left out rather than printing zeros."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from baolei.core.exports import office_text
from baolei.regions.models import Level, Region
from baolei.reports.figures import Figure, all_figures

Segment = str | Figure


@dataclass
class Section:
    heading: str
    paragraphs: list[list[Segment]] = field(default_factory=list)


@dataclass
class Briefing:
    title: str
    as_of: date
    region: Region
    sections: list[Section]

    def text(self) -> str:
        lines = [self.title]
        for section in self.sections:
            lines.append(section.heading)
            lines += ["".join(render(s) for s in paragraph) for paragraph in section.paragraphs]
        return "\n".join(lines)


def chinese_date(day: date, with_year: bool = True) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"


def render(segment: Segment) -> str:
    return segment if isinstance(segment, str) else segment.display


def build(user: Any, region: Region, as_of: date, start: date) -> Briefing:
    f = {
        fig.key: fig for group in all_figures(user, region, as_of, start).values() for fig in group
    }
    sections = [
        s
        for s in (organisation(f), coordination(f, region), supervision(f), results(f, as_of))
        if s.paragraphs
    ]
    title = f"{region.name}扫黑除恶专项斗争工作情况通报"
    return Briefing(title, as_of, region, sections)


def nonzero(f: dict[str, Figure], *keys: str) -> bool:
    return any(k in f and f[k].value for k in keys)


def organisation(f: dict[str, Figure]) -> Section:
    section = Section("一、筑牢“组织堡垒”，源头治理再强化")
    if nonzero(f, "weak_confirmed"):
        section.paragraphs.append(
            [
                "按10%以上比例动态排查，确定软弱涣散村(社区)党组织",
                f["weak_confirmed"],
                "（其中村",
                f["weak_villages"],
                "、社区",
                f["weak_communities"],
                "），“一村一策”已整顿提升",
                f["weak_rectified"],
                "。",
            ]
        )
    if nonzero(f, "secretaries_adjusted", "training_bases"):
        paragraph: list[Segment] = []
        if nonzero(f, "secretaries_adjusted"):
            paragraph += [
                "全覆盖开展村党组织书记履职研判，动态调整不胜任、不合格的",
                f["secretaries_adjusted"],
                "；",
            ]
        if nonzero(f, "training_bases"):
            paragraph += [
                "建立市级“领头雁”实训基地",
                f["training_bases"],
                "，对村干部开展脱产跟岗实训。",
            ]
        section.paragraphs.append(paragraph)
    if nonzero(f, "cadres_vetted"):
        section.paragraphs.append(
            [
                "对在任村干部开展拉网式背景审查，与涉案人员、线索涉及人员和有关部门提供的名单"
                "逐一比对，在任村干部",
                f["cadres_in_office"],
                "中已完成审查",
                f["cadres_vetted"],
                "。",
            ]
        )
    return section


def coordination(f: dict[str, Figure], region: Region) -> Section:
    section = Section("二、协作联动，多方发力抓落实")
    meetings = [
        k
        for k in (
            "meetings_standing_committee",
            "meetings_leading_group",
            "meetings_leading_group_topic",
            "meetings_anti_corruption",
        )
        if nonzero(f, k)
    ]
    if meetings:
        paragraph: list[Segment] = ["今年以来，先后召开"]
        for n, key in enumerate(meetings):
            paragraph += [f[key], f[key].label, "、" if n < len(meetings) - 1 else ""]
        paragraph.append("，专题研究部署扫黑除恶专项斗争工作。")
        section.paragraphs.append(paragraph)
    if nonzero(f, "mechanisms"):
        section.paragraphs.append(
            ["出台", f["mechanisms"], "制度机制，形成共建共享、共治共管合力。"]
        )
    centres: list[Segment] = []
    levels = [
        (level, word)
        for level, word in (
            (Level.COUNTY, "县(区)"),
            (Level.TOWNSHIP, "乡镇(街道)"),
            (Level.NEW_COMMUNITY, "新型社区"),
        )
        if f"units_{level}" in f  # counted only below the region's own level
    ]
    for level, word in levels:
        covered, total = f[f"centres_{level}"], f[f"units_{level}"]
        if total.value:
            centres += (
                [total, word]
                if covered.value == total.value
                else [covered, f"（共{total.value}个）{word}"]
            )
            centres.append("、")
    if centres:
        section.paragraphs.append(
            ["目前，", *centres[:-1], "全部建立综治中心。"]
            if all(f[f"centres_{lv}"].value == f[f"units_{lv}"].value for lv, _ in levels)
            else ["目前，", *centres[:-1], "建立综治中心。"]
        )
    return section


def supervision(f: dict[str, Figure]) -> Section:
    section = Section("三、强化督导，专项斗争出成效")
    if nonzero(f, "teams", "rounds") and "leaders" in f:
        section.paragraphs.append(
            [
                "由",
                f["leaders"],
                "市领导联系督导县(区)，",
                f["team_leaders"],
                "干部担任组长、副组长，组成",
                f["teams"],
                "督导组，先后组织开展",
                f["rounds"],
                "专项督导。",
            ]
        )
    problems = sorted(
        {k.rsplit("_", 1)[0] for k in f if k.startswith("problems_") and k.endswith("_total")}
    )
    for key in problems:
        total = f[f"{key}_total"]
        if not total.value:
            continue
        section.paragraphs.append(
            [
                total.label,
                total,
                "，已完成整改",
                f[f"{key}_done"],
                "（含长期坚持整改",
                f[f"{key}_long_term"],
                "），其余",
                f[f"{key}_open"],
                "正在整改中。",
            ]
        )
    return section


def results(f: dict[str, Figure], as_of: date) -> Section:
    section = Section("四、依法严惩，打击成效持续显现")
    if nonzero(f, "cases_gang_filed", "cases_evil_filed", "suspects_caught"):
        paragraph: list[Segment] = [
            f"截至{chinese_date(as_of, with_year=False)}，公安机关新侦办黑社会性质组织案",
            f["cases_gang_filed"],
            "，涉恶犯罪案",
            f["cases_evil_filed"],
            "，抓获犯罪嫌疑人",
            f["suspects_caught"],
        ]
        if f["assets_now"].value:
            paragraph += [
                "，查扣冻结各类涉案财产从督导前的",
                f["assets_before"],
                "增加到",
                f["assets_now"],
            ]
        section.paragraphs.append([*paragraph, "。"])
    if nonzero(f, "prosecuted_gang", "prosecuted_evil"):
        section.paragraphs.append(
            [
                "检察机关新提起公诉黑社会性质组织案",
                f["prosecuted_gang"],
                "，恶势力犯罪案",
                f["prosecuted_evil"],
                "。",
            ]
        )
    if nonzero(f, "first_gang", "first_evil", "second_gang", "second_evil"):
        section.paragraphs.append(
            [
                "法院一审判决并认定黑社会性质组织案",
                f["first_gang"],
                "，恶势力犯罪案",
                f["first_evil"],
                "；二审审结并认定黑社会性质组织案",
                f["second_gang"],
                "，恶势力犯罪案",
                f["second_evil"],
                "。",
            ]
        )
    return section


# GB/T 9704-2012: A4, 上白边 37 mm, 下白边 35 mm, 左白边 28 mm, 右白边 26 mm; 标题 2号小标宋,
# 正文 3号仿宋, 一级标题 3号黑体, 每行 28 字、每页 22 行 (≈ 28.95 pt line pitch), 页码 4号宋体.
TITLE_FONT, BODY_FONT, HEADING_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"


def set_font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.bold = bold
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), name)


def paragraph_format(paragraph: Any, *, indent: bool) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 3号 (16 pt)


def page_number_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("— "), PAGE_FONT, 14)
    run = paragraph.add_run()
    set_font(run, PAGE_FONT, 14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    set_font(paragraph.add_run(" —"), PAGE_FONT, 14)


def to_docx(briefing: Briefing) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.start_type = WD_SECTION.NEW_PAGE
    page_number_footer(section)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(office_text(briefing.title)), TITLE_FONT, 22)
    paragraph_format(title, indent=False)
    stamp = document.add_paragraph()
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(stamp.add_run(f"（截至{chinese_date(briefing.as_of)}）"), BODY_FONT, 16)
    paragraph_format(stamp, indent=False)
    for part in briefing.sections:
        heading = document.add_paragraph()
        set_font(heading.add_run(office_text(part.heading)), HEADING_FONT, 16)
        paragraph_format(heading, indent=True)
        for segments in part.paragraphs:
            body = document.add_paragraph()
            text = office_text("".join(render(s) for s in segments))
            set_font(body.add_run(text), BODY_FONT, 16)
            paragraph_format(body, indent=True)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = (
        office_text(briefing.title),
        "堡垒",
        "堡垒",
    )
    properties.created = properties.modified = datetime(*briefing.as_of.timetuple()[:3], tzinfo=UTC)
    properties.revision = 1
    buffer = BytesIO()
    document.save(buffer)
    return reproducible(buffer.getvalue(), briefing.as_of)


def reproducible(package: bytes, day: date) -> bytes:
    """The same briefing gives the same bytes: every part of the package is stamped with
    the as-of day instead of the time it was written."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = BytesIO()
    with ZipFile(BytesIO(package)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
