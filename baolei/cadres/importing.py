"""Roster import from .xlsx in the export's layout: every row checked, all or nothing."""

from __future__ import annotations

from typing import IO, Any

from baolei.accounts.models import User
from baolei.cadres import queries, services
from baolei.cadres.models import Appointment, Post
from baolei.core.importing import Importer, ImportReport, RowError, Sheet, parse_date, run
from baolei.people import idnumber
from baolei.people.models import Education, Person
from baolei.people.queries import find_by_id_number
from baolei.people.services import create_person
from baolei.regions.models import Region

REQUIRED = ("姓名", "身份证号码", "区划代码", "职务", "任职日期", "任期起", "任期止")
POSTS = {label: value for value, label in Post.choices} | {
    "书记": Post.SECRETARY,
    "村支书": Post.SECRETARY,
    "主任": Post.DIRECTOR,
    "村委会委员": Post.MEMBER,
    "村党组织委员": Post.MEMBER,
    "委员": Post.MEMBER,
    "一肩挑": Post.SECRETARY_DIRECTOR,
    "书记兼主任": Post.SECRETARY_DIRECTOR,
}
EDUCATION = {label: value for value, label in Education.choices}


class RosterImport(Importer[dict[str, Any]]):
    """One appointment per row; a person not yet registered is registered with it."""

    title = "村干部名册导入"
    marker = "身份证号码"
    required = REQUIRED

    def permit(self) -> None:
        services.require_keeper(self.actor)

    def prepare(self, sheet: Sheet) -> None:
        self.regions = {r.code: r for r in Region.objects.visible_to(self.actor)}
        self.seen: dict[str, int] = {}

    def check(
        self, line: int, value: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        return check_row(line, value, self.regions, self.seen, self.actor)

    def apply(self, row: dict[str, Any], report: ImportReport) -> None:
        apply_row(row, self.actor)
        report.created += 1


def import_roster(stream: IO[bytes], *, actor: User, filename: str = "") -> ImportReport:
    """Apply every row in one transaction, or none and report each bad cell. An ID number
    already on the roster, or twice in the file, is refused naming where it is held."""
    return run(RosterImport(actor), stream, filename=filename)


def check_row(
    number: int,
    value: dict[str, Any],
    regions: dict[str, Region],
    seen: dict[str, int],
    actor: User,
) -> tuple[dict[str, Any] | None, list[RowError]]:
    errors = []
    text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
    if not text["姓名"]:
        errors.append(RowError(number, "姓名", "姓名为空"))
    number_text, person = "", None
    try:
        number_text = idnumber.validate(text["身份证号码"])
    except idnumber.IdNumberError as exc:
        errors.append(RowError(number, "身份证号码", exc.message))
    if number_text:
        if number_text in seen:
            errors.append(
                RowError(number, "身份证号码", f"与第{seen[number_text]}行的身份证号码重复")
            )
        seen.setdefault(number_text, number)
        person, problem = existing_person(number_text, actor)
        if problem:
            errors.append(RowError(number, "身份证号码", problem))
    region = regions.get(text["区划代码"])
    if region is None or not region.is_village_level:
        errors.append(
            RowError(number, "区划代码", f"“{text['区划代码']}”不是您管理范围内的村(社区)")
        )
    post = POSTS.get(text["职务"])
    if post is None:
        errors.append(RowError(number, "职务", f"“{text['职务']}”不是可登记的职务"))
    elif region is not None and not services.post_fits(post, region):
        errors.append(RowError(number, "职务", f"“{text['职务']}”与{region.name}的类型不符"))
    dates = {}
    for column in ("任职日期", "任期起", "任期止"):
        dates[column] = parse_date(value[column])
        if dates[column] is None:
            errors.append(RowError(number, column, f"“{text[column]}”不是有效日期"))
    education = text.get("文化程度", "")
    if education and education not in EDUCATION:
        errors.append(RowError(number, "文化程度", f"“{education}”不是可选的文化程度"))
    if errors:
        return None, errors
    return {
        "line": number,
        "person": person,
        "name": text["姓名"],
        "id_number": number_text,
        "region": region,
        "post": post,
        "started_on": dates["任职日期"],
        "term_starts_on": dates["任期起"],
        "term_ends_on": dates["任期止"],
        "education": EDUCATION.get(education, ""),
        "ethnicity": text.get("民族", ""),
        "party_member": text.get("中共党员", "") in ("是", "党员", "中共党员"),
        "phone": text.get("联系电话", ""),
    }, []


def existing_person(number: str, actor: User) -> tuple[Person | None, str]:
    """The person already registered with this number, or why the row is refused."""
    person = find_by_id_number(number)
    if person is None:
        return None, ""
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        return None, "该身份证号码已在其他地区登记，请联系上级扫黑办核实"
    held = (
        queries.in_office(Appointment.objects.filter(person=person))
        .select_related("region")
        .first()
    )
    if held is not None:
        return None, (
            f"该身份证号码已在名册中：{held.region.name} {held.get_post_display()} {person.name}"
            f"（任职编号 {held.pk}）"
        )
    return person, ""


def apply_row(row: dict[str, Any], actor: User) -> Appointment:
    person = row["person"]
    if person is None:
        person = create_person(
            actor=actor,
            name=row["name"],
            region=row["region"],
            id_number=row["id_number"],
            education=row["education"],
            ethnicity=row["ethnicity"],
            party_member=row["party_member"],
            phone=row["phone"],
        )
    return services.appoint(
        actor=actor,
        person=person,
        region=row["region"],
        post=row["post"],
        started_on=row["started_on"],
        term_starts_on=row["term_starts_on"],
        term_ends_on=row["term_ends_on"],
    )
