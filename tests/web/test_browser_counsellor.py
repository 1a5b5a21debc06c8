"""Journey 4 in a real browser: a career counsellor reviews the caseload (Debian's Chromium driven by Playwright).

The harness is journey 1's (``tests.web.test_browser``): gunicorn with production settings over a fresh
``quickstart --no-esco`` SQLite file, axe-core on every page and after every htmx swap (0 serious or critical),
no sideways scrolling at 360 px, Latvian and English. Each test gets a site of its own, so the decisions of one run
never change what the next run finds pending. Two counsellors race on one review in two browser contexts (the
municipality counsellor and a staff member, who sees every caseload): the second sees both versions and chooses.
The review queue is also worked with the keyboard only.
"""
from __future__ import annotations

import re

import pytest

from tests.web.live import live_site
from tests.web.test_browser import COMBOS, PASSWORD, Keys, Visit, browser, named, say  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

COUNSELLOR = "counsellor.ventspils"
WELDER_NAME = "Andris Kalniņš"


@pytest.fixture
def fresh_site(chromium, tmp_path):
    with live_site(tmp_path) as base:
        yield base


@pytest.fixture
def visit_on(browser, fresh_site):  # noqa: F811  (browser is the imported fixture)
    opened = []

    def make(*, width: int, language: str) -> Visit:
        opened.append(Visit(browser, fresh_site, width=width, language=language))
        return opened[-1]

    yield make
    for visit in opened:
        visit.close()


def sign_in(v: Visit, username: str) -> None:
    page = v.page
    page.goto(v.site + "/signin/")
    v.check()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=v.t("Sign in")).click()
    page.wait_for_url(v.site + "/")
    v.check("signed in")


def start(v: Visit, username: str) -> None:
    v.go("/")
    v.choose_language()
    sign_in(v, username)


def open_welder(v: Visit) -> None:
    page = v.page
    page.get_by_role("navigation", name=v.t("Main")).get_by_role("link", name=v.t("My caseload")).click()
    page.wait_for_url(re.compile(r"/counsellor/$"))
    v.check("caseload")
    page.get_by_role("link", name=WELDER_NAME).click()
    page.wait_for_url(re.compile(r"/counsellor/people/\d+/$"))
    v.check("the welder's review queue")


def items(v: Visit):
    return v.page.locator("ol.queue > li.review-item")


# ------------------------------------------------------------------------------------------- journey 4
@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_4_a_counsellor_reviews_releases_and_prints(visit_on, language, width):
    v = visit_on(width=width, language=language)
    page, t = v.page, v.t
    start(v, COUNSELLOR)
    open_welder(v)
    # the caseload's filters, swapped in place by htmx
    page.goto(v.site + "/counsellor/")
    page.get_by_label(t("Kind"), exact=True).select_option("reskilling")
    page.get_by_role("button", name=t("Filter")).click()
    page.wait_for_url(re.compile(r"kind=reskilling"))
    page.get_by_role("link", name=WELDER_NAME).wait_for()
    v.check("caseload filtered (htmx)")
    page.get_by_role("link", name=WELDER_NAME).click()
    page.wait_for_url(re.compile(r"/counsellor/people/\d+/$"))
    v.check()
    assert items(v).count() >= 3
    pending_before = page.get_by_text(t("Waiting for your decision"), exact=True).count()
    assert pending_before >= 3
    # reject the first item with a reason: first without one (the message beside the field), then with it
    first = items(v).nth(0)
    first_id = first.get_attribute("id")  # two jobs may share a title: the item's own id names it
    first.get_by_label(say(language, "Reject: the person does not see it")).check()
    first.get_by_role("button", name=t("Save decision")).click()
    page.locator("ol.queue .error").first.wait_for()
    v.check("reason missing (htmx, 400)")
    first = page.locator(f"ol.queue > li#{first_id}")
    assert first.get_by_text(t("Say why you reject it.")).first.is_visible()
    first.get_by_label(t("Reason (when rejecting)")).select_option("location")
    first.get_by_label(t("Note"), exact=True).fill("Pārāk tālu braukt.")
    first.get_by_role("button", name=t("Save decision")).click()
    first.get_by_role("status").filter(has_text=t("Decision saved.")).wait_for()
    v.check("rejected (htmx)")
    # approve the next one
    second = items(v).filter(has=page.get_by_text(t("Waiting for your decision"), exact=True)).first
    second.get_by_label(say(language, "Approve: the person sees it")).check()
    second.get_by_role("button", name=t("Save decision")).click()
    page.get_by_role("status").filter(has_text=t("Decision saved.")).first.wait_for()
    v.check("approved (htmx)")
    # add a course by hand
    page.get_by_label(t("Or a course"), exact=True).select_option(index=1 + COMBOS.index((language, width)))
    page.get_by_role("button", name=t("Add for the person")).click()
    page.get_by_text(t("Added; the person sees it now.")).wait_for()
    v.check("added by hand")
    # release the rest of the jobs list
    page.get_by_role("navigation", name=t("Lists")).get_by_role("link", name=t("Jobs"), exact=True).click()
    page.wait_for_url(re.compile(r"\?kind=jobs$"))
    page.get_by_role("button", name=t("Approve the rest and release")).click()
    page.get_by_text(re.compile(re.escape(t("Released to the person: %(n)d items approved.").split("%")[0]))).wait_for()
    v.check("released")
    assert page.get_by_text(t("Waiting for your decision"), exact=True).count() == 0
    # the printable explanation: released items with their reasons, no site chrome when printed
    page.get_by_role("link", name=t("Printable explanation for the person")).click()
    page.wait_for_url(re.compile(r"/print/$"))
    v.check("printable")
    assert page.get_by_role("heading", level=1).inner_text().endswith(WELDER_NAME)
    jobs = page.locator("#print-jobs").locator("xpath=..").locator("ol.print-list > li")
    assert jobs.count() >= 2
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    page.emulate_media(media="screen")
    # the caseload's outcomes
    page.goto(v.site + "/counsellor/outcomes/")
    v.check("outcomes")
    assert page.get_by_role("link", name=WELDER_NAME).is_visible()


@pytest.mark.parametrize(("language", "width", "choice"), [("lv", 360, "keep"), ("en", 1280, "replace")])
def test_two_counsellors_race_on_one_review_and_the_second_chooses(visit_on, language, width, choice):
    first, second = visit_on(width=width, language=language), visit_on(width=width, language=language)
    for v, who in ((first, COUNSELLOR), (second, "admin")):
        start(v, who)
    open_welder(first)
    second.page.goto(first.page.url)
    second.check("the same queue, read at the same time")
    item_id = items(first).nth(0).get_attribute("id")  # two jobs may share a title: the item's own id names it
    mine = lambda v: v.page.locator(f"ol.queue > li#{item_id}")  # noqa: E731
    # the first counsellor approves
    mine(first).get_by_label(say(language, "Approve: the person sees it")).check()
    mine(first).get_by_label(first.t("Note"), exact=True).fill("Labs darbs tuvu mājām.")
    mine(first).get_by_role("button", name=first.t("Save decision")).click()
    first.page.get_by_role("status").filter(has_text=first.t("Decision saved.")).wait_for()
    first.check("approved first")
    # the second, on the page read before, rejects: both versions shown, nothing overwritten
    t = second.t
    mine(second).get_by_label(say(language, "Reject: the person does not see it")).check()
    mine(second).get_by_label(t("Reason (when rejecting)")).select_option("not_ready")
    mine(second).get_by_label(t("Note"), exact=True).fill("Vēl jāapgūst CNC.")
    mine(second).get_by_role("button", name=t("Save decision")).click()
    conflict = second.page.get_by_role("alert").filter(has_text=t("Someone else decided this item while you were "
                                                                   "looking at it"))
    conflict.wait_for()
    second.check("conflict: both versions (htmx, 409)")
    assert conflict.get_by_text("Labs darbs tuvu mājām.").is_visible()
    assert conflict.get_by_text("Vēl jāapgūst CNC.").is_visible()
    assert conflict.get_by_text(re.compile("Gints Strazds")).is_visible()
    if choice == "keep":
        conflict.get_by_role("link", name=t("Keep the saved decision")).click()
        second.page.wait_for_load_state("load")
        second.check("kept the saved decision")
        expected = say(language, "approved")
    else:
        conflict.get_by_role("button", name=t("Replace it with my decision")).click()
        second.page.get_by_role("status").filter(has_text=t("Decision saved.")).wait_for()
        second.check("replaced with mine (htmx)")
        expected = say(language, "rejected")
    first.page.reload()
    first.check("the first counsellor reloads")
    assert mine(first).locator(".decision .tag").inner_text().startswith(expected)
    assert ("version 2" in mine(first).inner_text() or "versija 2" in mine(first).inner_text()) == (
        choice == "replace")


@pytest.mark.parametrize(("language", "width"), [("lv", 1280), ("en", 360)])
def test_the_review_queue_works_with_the_keyboard_only(visit_on, language, width):
    v = visit_on(width=width, language=language)
    page, t, keys = v.page, v.t, Keys(v.page)
    v.go("/")
    if language == "en":
        keys.activate(named("English"))
        page.wait_for_function("document.documentElement.lang === 'en'")
    v.shown_in = language
    keys.activate(named(t("Sign in")))
    page.wait_for_url(re.compile(r"/signin/"))
    keys.type_into("id_username", COUNSELLOR)
    keys.type_into("id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(v.site + "/")
    keys.activate(named(t("My caseload")))
    page.wait_for_url(re.compile(r"/counsellor/$"))
    v.check()
    keys.activate(named(WELDER_NAME))
    page.wait_for_url(re.compile(r"/counsellor/people/\d+/$"))
    v.check("queue, by keyboard")
    # first item: approve (Space on the first radio), a note, Enter on the button
    keys.tab_to(lambda f: f["id"].endswith("_decision_0"))
    page.keyboard.press("Space")
    keys.tab_to(lambda f: f["tag"] == "textarea")
    page.keyboard.type("Apstiprināts ar tastatūru.")
    keys.activate(named(t("Save decision")))
    page.get_by_role("status").filter(has_text=t("Decision saved.")).wait_for()
    v.check("approved by keyboard (htmx)")
    focused = page.evaluate("document.activeElement.getAttribute('role')")
    assert focused == "status", "focus stays at the item just decided"
    # the next item: arrow to "reject", arrow to a reason, Enter
    keys.tab_to(lambda f: f["id"].endswith("_decision_0"))
    page.keyboard.press("ArrowDown")
    keys.tab_to(lambda f: f["id"].endswith("_reason"))
    page.keyboard.press("ArrowDown")
    keys.activate(named(t("Save decision")))
    page.get_by_role("status").filter(has_text=t("Decision saved.")).wait_for()
    v.check("rejected by keyboard (htmx)")
    assert page.locator("ol.queue .decision .tag").filter(has_text=say(language, "rejected")).count() >= 1
