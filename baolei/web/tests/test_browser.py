"""A person's walk through the main pages in a real Chromium (Playwright).

Chromium comes from the system (Debian's package); the test is skipped where
none is installed, except in CI, which sets BAOLEI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from baolei.conftest import PASSWORD

CHROMIUM = (
    os.environ.get("BAOLEI_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
pytestmark = pytest.mark.browser

CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def page(live_site: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("BAOLEI_REQUIRE_BROWSER"):
            pytest.fail("BAOLEI_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("no system Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # by fixtures around it are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        # Every Content-Security-Policy violation on any page is reported to the console.
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.set_default_timeout(15000)
        outside: list[str] = []
        page.on(
            "request", lambda r: None if r.url.startswith(live_site.url) else outside.append(r.url)
        )
        violations: list[str] = []
        page.on(
            "console",
            lambda m: (
                violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text or m.text.startswith("CSP violation")
                else None
            ),
        )
        yield page
        browser.close()
        assert outside == [], f"pages asked for outside resources: {outside}"
        assert violations == [], f"Content-Security-Policy violations: {violations}"


def test_clerk_logs_in_and_walks_the_main_pages(page: Any, world: Any, live_site: Any) -> None:
    live_server = live_site
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "a_clerk")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("甲县")
    # Bootstrap is served locally and applied: the top bar is the brand red.
    colour = page.eval_on_selector(".topbar", "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(183, 28, 28)"

    page.click("nav.sidenav >> text=行政区划")
    page.wait_for_url("**/regions/")
    assert "乙县" not in page.content()
    page.select_option("#id_level", "village")
    page.click("text=查询")
    page.click("text=甲县一村")
    assert "甲县一村" in page.locator("h1").inner_text()
    page.click(".breadcrumb >> text=甲县一镇")
    assert "综治中心" in page.content()

    page.click("nav.sidenav >> text=综治中心")
    assert page.locator("table tbody tr").count() == 2

    page.click("nav.sidenav >> text=单位")
    assert "甲县扫黑办" in page.content()
    assert "用户管理" not in page.locator("nav.sidenav").inner_text()

    page.click("nav.sidenav >> text=整改台账")
    page.click("text=登记事项")
    page.fill("#id_title", "清理村霸线索")
    # Type-ahead pickers (Tom Select from our own static files): the region by the
    # initials of its name in pinyin, shown with its path; the agency by a part of its name.
    page.fill("#id_region-ts-control", "jxyc")
    page.click(".ts-dropdown .option:has-text('甲县 › 甲县一镇 › 甲县一村')")
    assert page.input_value("#id_region") == str(world.village_a.pk)
    page.fill("#id_owner_agency-ts-control", "扫黑")
    page.click(".ts-dropdown .option:has-text('甲县扫黑办')")
    assert page.locator("#id_owner_agency option").count() <= 2
    page.fill("#id_responsible_person", "李明")
    page.fill("#id_deadline", "2019年11月7日")
    page.click("text=保存")
    assert "清理村霸线索" in page.locator("h1").inner_text()
    assert page.locator("h1 .badge.bg-danger").count() == 1  # a 2019 deadline is long overdue
    page.fill("#id_text", "已完成摸排")
    page.click("button:has-text('报送进展')")
    page.wait_for_selector("text=已完成摸排")
    assert "/ledger/" in page.url  # htmx swapped the timeline in place
    # 更正 (behaviour from the static script, not an inline handler) marks the entry.
    page.click("button[data-correct]")
    assert page.input_value("#id_corrects") != ""
    assert page.evaluate("document.activeElement.id") == "id_text"

    # The API answers a browser in JSON (no browsable pages with inline styles).
    page.goto(live_server.url + "/api/v1/regions/")
    assert '"count"' in page.content()

    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .title")
    assert "堡垒" in page.locator(".swagger-ui .title").inner_text()
    if os.environ.get("BAOLEI_SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["BAOLEI_SCREENSHOT_DIR"], "api-docs.png"))

    # The dashboard's charts are drawn by ECharts served from our own static files, and
    # every bar carries the link to the records it counts.
    page.goto(live_server.url + "/reports/")
    page.wait_for_selector('[data-chart="cases_by_stage"][data-rendered="true"]')
    url = page.eval_on_selector(
        '[data-chart="cases_by_stage"]',
        "e => echarts.getInstanceByDom(e).getOption().series[0].data[0].url",
    )
    assert url.startswith("/reports/records/cases_at_filed_")

    page.goto(live_server.url + "/")
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


#: The widths a page must fit: a phone, a tablet, a desktop.
PHONE, TABLET, DESKTOP = 390, 768, 1440

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-responsive, .offcanvas-lg"))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${Math.round(e.getBoundingClientRect().right)}px`);
  return {scroll: document.documentElement.scrollWidth, inner: width, wide};
}"""


def sign_in(page: Any, site: str, username: str) -> None:
    page.goto(site + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(site + "/")


@pytest.fixture
def screens(tmp_path: Any) -> Any:
    """Where the screenshots go: BAOLEI_SCREENSHOT_DIR when set, else the test's tmp folder."""
    folder = os.environ.get("BAOLEI_SCREENSHOT_DIR") or str(tmp_path / "screens")
    os.makedirs(folder, exist_ok=True)
    return folder


def test_main_pages_fit_a_phone_a_tablet_and_a_desktop(
    page: Any, world: Any, live_site: Any, screens: str
) -> None:
    from baolei.clues import services as clue_services
    from baolei.ledger.tests.builders import make_item

    item = make_item(world, title="组织开展农村“村霸”和宗族恶势力问题专项排查整治并建立长效机制")
    clue_services.register_clue(
        actor=world.a_clerk,
        received_on=date(2026, 3, 2),
        source="hotline",
        category="gang",
        summary="有人在甲县一村强揽工程、欺压群众，群众反映强烈，要求依法严厉打击",
        region=world.village_a,
    )
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    site = live_site.url
    sign_in(page, site, "a_clerk")
    pages = {
        "home": "/",
        "dashboard": "/reports/",
        "ledger": "/ledger/",
        "clues": "/clues/",
        "ledger-item": f"/ledger/{item.pk}/",
    }
    for width in (PHONE, TABLET, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(site + path)
            if name == "dashboard":
                page.wait_for_selector('[data-chart][data-rendered="true"]')
            page.screenshot(path=os.path.join(screens, f"{name}-{width}.png"), full_page=True)
            fit = page.evaluate(OVERFLOW)
            assert fit["scroll"] <= fit["inner"], (
                f"{path} at {width}px is wider than the screen: {fit}"
            )
            nav = page.locator("nav.sidenav")
            assert nav.is_visible() == (width >= 992), f"{path} at {width}px: side navigation"

    # Every page of the navigation fits a phone's width.
    page.set_viewport_size({"width": PHONE, "height": 800})
    links = page.eval_on_selector_all("nav.sidenav .nav-link", "links => links.map(a => a.href)")
    too_wide = []
    for url in links:
        page.goto(url)
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["inner"]:
            too_wide.append(f"{url}: {fit}")
    assert len(links) > 10 and too_wide == [], "\n".join(too_wide)

    # On a phone the menu button opens the navigation as a panel over the page.
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(site + "/ledger/")
    page.click("button.nav-toggle")
    page.wait_for_selector("#sidenav.show")
    page.click("nav.sidenav >> text=线索")
    page.wait_for_url("**/clues/")

    # On a desktop the dashboard keeps its side navigation at full width, each item on one line.
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto(site + "/reports/")
    box = page.locator("nav.sidenav").bounding_box()
    assert box is not None and box["width"] == 190, box
    link = page.locator("nav.sidenav .nav-link", has_text="驾驶舱").first
    line = page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", link.element_handle())
    assert link.evaluate("e => e.clientHeight") < 2 * line

    # The site icon is named by every page and answers at /favicon.ico too.
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.request.get(site + icon).status == 200
    answer = page.request.get(site + "/favicon.ico")
    assert answer.status == 200 and "svg" in answer.headers["content-type"]
    assert errors == [], f"console errors: {errors}"


UNLABELLED = """() => [...document.querySelectorAll("form input[name], form select[name], form textarea[name]")]
  .filter((e) => e.type !== "hidden" && e.type !== "submit" && !e.closest("[hidden]"))
  .filter((e) => {
    const box = e.tomselect ? e.tomselect.control_input : e;  // a picker is typed into its own box
    return !(box.labels && box.labels.length) && !box.getAttribute("aria-label") && !box.getAttribute("aria-labelledby");
  })
  .map((e) => `${e.closest("form").getAttribute("action") || "(this page)"} ${e.name}`)"""


def create_forms() -> list[str]:
    """Every page that opens a blank form to register a record (…/new/)."""
    from baolei.web.tests.test_scoping import ROUTES

    return sorted(
        {
            r.name
            for r in ROUTES
            if not r.kwargs
            and r.regex.endswith("new/")
            and "get" in getattr(r.view_class, "http_method_names", ["get"])
        }
    )


def test_create_forms_fit_a_phone_and_a_desktop(
    page: Any, world: Any, live_site: Any, screens: str, client: Any
) -> None:
    """Every create form a clerk can open, at 390 and 1440 px: a screenshot of each, no
    console error, no sideways scrolling on the phone, no field without a label."""
    from django.urls import reverse

    names = create_forms()
    assert {"clues:create", "ledger:create", "people:create", "cases:create"} <= set(names)
    # Who opens which form: a county office clerk, else the city police's clerk (cases).
    reachable: dict[str, list[str]] = {}
    for username in ("a_clerk", "police_clerk"):
        client.force_login(getattr(world, username))
        taken = {n for forms in reachable.values() for n in forms}
        reachable[username] = [
            n for n in names if n not in taken and client.get(reverse(n)).status_code == 200
        ]
    opened = [n for forms in reachable.values() for n in forms]
    assert len(opened) >= 10 and {"clues:create", "cases:create"} <= set(opened), reachable

    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    site = live_site.url
    problems = []
    for username, forms in reachable.items():
        page.context.clear_cookies()
        sign_in(page, site, username)
        for name in forms:
            for width in (PHONE, DESKTOP):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(site + reverse(name))
                shot = f"form-{name.replace(':', '-')}-{width}.png"
                page.screenshot(path=os.path.join(screens, shot), full_page=True)
                fit = page.evaluate(OVERFLOW)
                if width == PHONE and fit["scroll"] > fit["inner"]:
                    problems.append(f"{name} at {width}px is wider than the screen: {fit}")
                unlabelled = page.evaluate(UNLABELLED)
                if unlabelled:
                    problems.append(f"{name}: fields without a label: {unlabelled}")
                required = page.locator(".required > .form-label").count()
                if width == DESKTOP and required == 0:
                    problems.append(f"{name}: no field is marked as required")
    assert problems == [], "\n".join(problems)
    assert errors == [], f"console errors: {errors}"


def test_a_record_page_shows_one_action_at_a_time(
    page: Any, world: Any, live_site: Any, screens: str
) -> None:
    """The clue's actions are buttons; each opens its own dialog with its own form and a
    submit button that says what it does; 办结 has no conclusion chosen in advance."""
    from baolei.clues import services as clue_services

    clue = clue_services.register_clue(
        actor=world.a_clerk,
        received_on=date(2026, 3, 2),
        source="hotline",
        category="gang",
        summary="有人在甲县一村强揽工程",
        region=world.village_a,
    )
    site = live_site.url
    sign_in(page, site, "a_clerk")
    page.goto(f"{site}/clues/{clue.pk}/")
    assert page.locator("form .modal-body:visible").count() == 0  # no form until asked
    buttons = page.locator(".record-actions button").all_inner_texts()
    assert "办结" in buttons and "交办" in buttons, buttons
    page.click(".record-actions button:has-text('办结')")
    dialog = page.locator("#action-conclude")
    dialog.wait_for(state="visible")
    assert page.locator(".modal.show").count() == 1
    assert dialog.locator("select[name=conclusion]").input_value() == ""
    assert dialog.locator("button[type=submit]").inner_text() == "办结"
    page.screenshot(path=os.path.join(screens, "clue-conclude-dialog.png"))
    page.once("dialog", lambda question: question.accept())  # 确定办结线索…？
    dialog.locator("button[type=submit]").click()  # nothing chosen: refused, nothing changed
    page.wait_for_selector(".alert-danger")
    clue.refresh_from_db()
    assert clue.conclusion == ""
