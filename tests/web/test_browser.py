"""Journeys 1, 2 and 6 in a real browser (Debian's Chromium driven by Playwright) against a live server.

The site runs under gunicorn with production settings over a fresh ``quickstart --no-esco`` SQLite file
(``tests.web.live``). Each journey runs in Latvian and English, at 360 px and 1280 px wide. Every page visited,
and every state after an htmx swap or a form error, is checked with axe-core (``axe-playwright-python``): no
serious or critical violation is allowed; at 360 px no page may scroll sideways. Journey 2 uses the keyboard only
(Tab, typing, Enter, arrow keys; no clicks). Elements are found as a person finds them: by role and visible name.

Without Chromium these tests are skipped with a banner at the end of the run (``tests/web/conftest.py``); ``.ci/run``
sets ``REQUIRE_BROWSER_TESTS=1`` and installs Chromium, so there they fail instead.
"""
from __future__ import annotations

import itertools
import json
import re

import pytest
from django.utils import translation

from tests.web.live import live_site
from web import riasec

pytestmark = pytest.mark.slow

WIDTHS = (360, 1280)
LANGUAGES = ("lv", "en")
COMBOS = list(itertools.product(LANGUAGES, WIDTHS))
BLOCKING = {"serious", "critical"}
PASSWORD = "Demo-Parole-2026"
NEW_PASSWORD = "Zila-Gaisma-2009x"
CV = {"lv": "Strādāju par metinātāju 15 gadus, protu lasīt rasējumus un strādāt ar CNC darbgaldu.",
      "en": "I worked as a welder for 15 years, I can read technical drawings and operate a CNC machine."}
MINOR_NOTICE = ("You are under 18, so your account is supervised: your career counsellor releases your recommendations "
                "before you see them, and employers cannot find you unless your counsellor allows it.")
# Issue 17: careers are shown to a supervised pupil at once, each marked so.
NOT_RELEASED = "Not yet reviewed by your counsellor"
CONSENT_CONSEQUENCE = ("Now: employers may find your profile. If you withdraw, employers no longer see you in their "
                       "searches and rankings; your applications and your own recommendations stay.")
DELETED = "Your account is deleted. Your personal data is gone; anonymous statistics stay."
PUPIL_TEXT = {"lv": "Man patīk labot velosipēdus un zīmēt, skolā mācos Python programmēšanu.",
              "en": "I like fixing bikes and drawing, and I learn Python programming at school."}


def exactly(label: str) -> re.Pattern:
    """A field's label as shown, with or without the required-field star."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def say(language: str, text) -> str:
    """The site's own translation of ``text`` (its English source, or a lazy translation) in ``language``."""
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


# ------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):
    with live_site(tmp_path_factory.mktemp("browser")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only where Chromium is there)

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


class Visit:
    """One person's browser tab: goes to pages, checks each with axe, keeps the list of pages checked."""

    def __init__(self, browser, site: str, *, width: int, language: str) -> None:
        from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

        self.context = browser.new_context(viewport={"width": width, "height": 800}, accept_downloads=True,
                                           locale="en-GB")
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.site, self.width, self.language, self.axe = site, width, language, Axe()
        self.checked: list[str] = []
        self.shown_in = "lv"  # the site's default, until the switcher is used

    def t(self, text: str) -> str:
        return say(self.language, text)

    def check(self, what: str = "") -> None:
        """axe-core on the page as it is now, and no sideways scrolling at phone width."""
        page = self.page
        page.wait_for_load_state("load")
        result = self.axe.run(page)
        blocking = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                    for v in result.response["violations"] if v["impact"] in BLOCKING]
        assert blocking == [], f"axe on {page.url} {what}: {blocking}"
        if self.width <= 360:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at {self.width} px"
        assert page.locator("html").get_attribute("lang") == self.shown_in
        self.checked.append(f"{page.url} {what}".strip())

    def go(self, path: str) -> None:
        self.page.goto(self.site + path)
        self.check()

    def choose_language(self) -> None:
        """The switcher in the header (Latvian is the default); the choice is kept across pages."""
        if self.language != "lv":
            self.page.get_by_role("button", name="English").click()
            self.page.wait_for_load_state("load")
        self.shown_in = self.language
        self.check("after choosing the language")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit_for(browser, site):
    opened = []

    def make(*, width: int, language: str) -> Visit:
        opened.append(Visit(browser, site, width=width, language=language))
        return opened[-1]

    yield make
    for visit in opened:
        visit.close()


def register(v: Visit, username: str, *, birth_year: int, discoverable: bool = False) -> None:
    page, t = v.page, v.t
    page.get_by_role("link", name=t("Register"), exact=True).first.click()
    v.check()
    page.get_by_label(exactly(t("Username"))).fill(username)
    page.get_by_label(exactly(t("Password"))).fill(NEW_PASSWORD)
    page.get_by_label(exactly(t("Password again"))).fill(NEW_PASSWORD)
    page.get_by_label(exactly(t("E-mail"))).fill(f"{username}@example.lv")
    page.get_by_label(exactly(t("First name"))).fill("Anna")
    page.get_by_label(exactly(t("Last name"))).fill("Ozola")
    page.get_by_label(exactly(t("Year of birth"))).fill(str(birth_year))
    page.get_by_role("group", name=t("I am")).get_by_text(say(v.language, "student / young person")).click()
    page.get_by_label(exactly(t("Now I am"))).select_option("studying")
    page.get_by_label(exactly(t("Town"))).select_option(label="Valmiera")
    page.get_by_label(re.compile(re.escape(t("I agree that the service processes my data to recommend jobs and courses (required).")[:30]))).check()
    if discoverable:
        page.get_by_label(re.compile(re.escape(t("Employers may find my profile (skills, town, availability; no contact details until I apply).")[:25]))).check()
    page.get_by_role("button", name=t("Create my account")).click()
    page.wait_for_url(re.compile(r"/me/skills/$"))
    v.check("after registering")


# ------------------------------------------------------------------------------------------- journey 1
@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_1_a_pupil_explores_careers_then_registers(visit_for, language, width):
    v = visit_for(width=width, language=language)
    page, t = v.page, v.t
    v.go("/")
    v.choose_language()
    page.get_by_role("link", name=re.compile(re.escape(t("What interests me?")))).first.click()
    v.check()
    for kind, text in riasec.ITEMS:
        answer = {"riasec_r": "Like", "riasec_a": "Rather like", "riasec_i": "Rather like"}.get(kind, "Dislike")
        page.get_by_role("group", name=say(language, text)).get_by_label(t(answer), exact=True).check()
    page.get_by_role("button", name=t("Show careers")).click()
    v.check("interest results")
    careers = page.get_by_role("heading", name=t("Careers for your interests")).locator(
        "xpath=following::ol[1]").get_by_role("link")
    assert careers.count() == 10
    careers.first.click()
    v.check("a career")
    assert page.get_by_role("heading", name=t("Typical pay")).count() + page.get_by_text(t("Typical pay")).count()
    assert page.get_by_role("heading", name=t("Where to learn it")).is_visible()
    assert page.get_by_role("heading", name=t("Open to under-18s")).is_visible()
    page.get_by_role("button", name=t("Save this career")).click()
    page.get_by_text(t("Kept in your list until you register.")).wait_for()
    v.check("career saved (htmx)")
    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t("Jobs"), exact=True).click()
    v.check()
    page.get_by_label(say(language, "summer job")).check()
    page.get_by_label(say(language, "apprenticeship")).check()
    page.get_by_label(exactly(t("Open to my age"))).fill("16")
    page.get_by_role("button", name=t("Search")).click()
    page.wait_for_url(re.compile(r"contract_kind=summer_job"))
    v.check("summer jobs (htmx)")
    results = page.locator("#results li.result")
    assert results.count() > 0
    for text in results.all_inner_texts():
        assert say(language, "summer job") in text or say(language, "apprenticeship") in text
    register(v, f"pupil.{language}.{width}", birth_year=2010)
    page.get_by_label(exactly(t("Your CV or a few sentences about what you can do"))).fill(PUPIL_TEXT[language])
    page.get_by_role("button", name=t("Suggest skills")).click()
    page.locator("mark").first.wait_for()
    v.check("skills suggested (htmx)")
    page.get_by_role("button", name=t("Save my skills")).click()
    page.wait_for_url(re.compile(r"/me/skills/$"))
    v.check("skills saved")
    page.get_by_role("link", name=t("My recommendations")).first.click()
    v.check()
    assert page.get_by_text(re.compile(re.escape(t(MINOR_NOTICE)[:30]))).count()
    page.get_by_role("navigation", name=t("Recommendations")).get_by_role("link", name=t("Careers")).click()
    v.check()
    assert page.get_by_text(re.compile(re.escape(t(NOT_RELEASED)))).first.is_visible()
    assert len(v.checked) >= 14


# ------------------------------------------------------------------------------------------- journey 2
class Keys:
    """Keyboard only: Tab to an element (found by its role, name or link target), then type or press Enter."""

    FOCUSED = """() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(),
        text: (e.innerText || e.value || '').trim(), id: e.id || '', href: e.getAttribute('href') || '',
        label: (e.labels && e.labels[0] ? e.labels[0].innerText : '') }; }"""

    def __init__(self, page) -> None:
        self.page = page

    def tab_to(self, matches, *, skip: int = 0, limit: int = 400) -> dict:
        seen = 0
        self.page.wait_for_load_state("load")
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(self.FOCUSED)
            if matches(focused):
                if seen == skip:
                    return focused
                seen += 1
        raise AssertionError(f"Tab never reached the element on {self.page.url}")

    def activate(self, matches, **kwargs) -> dict:
        focused = self.tab_to(matches, **kwargs)
        self.page.keyboard.press("Enter")
        return focused

    def type_into(self, element_id: str, text: str) -> None:
        self.tab_to(lambda f: f["id"] == element_id)
        self.page.keyboard.type(text)


def named(text: str):
    return lambda f: f["text"] == text


def links_to(pattern: str):
    return lambda f: f["tag"] == "a" and re.fullmatch(pattern, f["href"]) is not None


@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_2_a_welder_retrains_with_the_keyboard_only(visit_for, language, width):
    run = COMBOS.index((language, width))  # each run applies to another job and course
    v = visit_for(width=width, language=language)
    page, t, keys = v.page, v.t, Keys(v.page)
    v.go("/")
    skip = keys.tab_to(lambda f: f["href"] == "#main")
    assert skip["text"] == say("lv", "Skip to content")
    if language == "en":
        keys.activate(named("English"))
        page.wait_for_function("document.documentElement.lang === 'en'")
    v.shown_in = language
    v.check("language chosen")
    keys.activate(named(t("Sign in")))
    page.wait_for_url(re.compile(r"/signin/"))
    v.check()
    keys.type_into("id_username", "welder.ventspils")
    keys.type_into("id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(v.site + "/")
    v.check("signed in")
    keys.activate(named(t("My skills")))
    page.wait_for_url(re.compile(r"/me/skills/$"))
    v.check()
    keys.type_into("id_text", CV[language])
    keys.activate(named(t("Suggest skills")))
    page.locator("mark").first.wait_for()
    v.check("skills suggested (htmx)")
    marked = " ".join(page.locator("mark").all_inner_texts()).lower()
    assert ("metināt" in marked or "weld" in marked) and ("rasējum" in marked or "drawing" in marked)
    keys.activate(named(t("Save my skills")))
    page.get_by_role("status").filter(has_text=re.compile(re.escape(t("Your skills are saved: %(n)d.")[:15]))).wait_for()
    v.check("skills saved")
    keys.activate(named(t("My recommendations")))
    page.wait_for_url(re.compile(r"/me/$"))
    keys.activate(links_to("/me/jobs/"))
    page.wait_for_url(re.compile(r"/me/jobs/$"))
    v.check("my jobs")
    assert page.get_by_text(re.compile(re.escape(t("Essential skills you have: %(n)s")[:15]))).count() >= 3
    keys.activate(links_to(r"/jobs/\d+/"), skip=run)
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    v.check("a job")
    keys.type_into("id_message", "Labdien! Esmu pieredzējis metinātājs.")
    keys.activate(named(t("Send my application")))
    page.wait_for_url(re.compile(r"/me/applications/$"))
    v.check("applied to a job")
    keys.activate(links_to("/me/"))
    page.wait_for_url(re.compile(r"/me/$"))
    keys.activate(links_to("/me/what-if/"))
    page.wait_for_url(re.compile(r"/me/what-if/$"))
    v.check()
    keys.tab_to(lambda f: f["id"] == "id_programme")
    for _ in range(run + 1):
        page.keyboard.press("ArrowDown")
    keys.activate(named(t("Show the difference")))
    page.locator("#what-if-answer h2").wait_for()
    v.check("what-if answer (htmx)")
    keys.activate(links_to("/me/pathways/"))
    page.wait_for_url(re.compile(r"/me/pathways/$"))
    v.check("pathways")
    keys.activate(links_to("/me/programmes/"))
    page.wait_for_url(re.compile(r"/me/programmes/$"))
    v.check("my courses")
    keys.activate(links_to(r"/programmes/\d+/"), skip=run)
    page.wait_for_url(re.compile(r"/programmes/\d+/$"))
    v.check("a course")
    keys.tab_to(lambda f: f["id"].startswith("message-"))
    page.keyboard.type("Gribu apgūt CNC.")
    keys.activate(named(t("Apply to this intake")))
    page.wait_for_url(re.compile(r"/me/applications/$"))
    v.check("applied to an intake")
    assert page.locator("li.result").count() >= 2


# ------------------------------------------------------------------------------------------- journey 6
@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_6_a_candidate_takes_their_data_back(visit_for, language, width):
    v = visit_for(width=width, language=language)
    page, t = v.page, v.t
    username = f"data.{language}.{width}"
    v.go("/")
    v.choose_language()
    register(v, username, birth_year=1990, discoverable=True)
    page.get_by_role("link", name=t("My data")).first.click()
    v.check()
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download my data")).click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["user"]["username"] == username and exported["consents"]["discoverable"]["given"] is True
    consequence = page.get_by_text(re.compile(re.escape(t(CONSENT_CONSEQUENCE)[:20])))
    assert consequence.is_visible()
    page.get_by_role("button", name=t("Withdraw my consent to be found")).click()
    page.get_by_text(t("Employers can no longer find your profile.")).wait_for()
    v.check("consent withdrawn")
    html = page.content()  # the consequence is said before the button that deletes
    what_happens = t("What happens: your name, e-mail, phone, CV text, skills, languages, work history and cover "
                     "messages are deleted; open applications are withdrawn; you are signed out and cannot sign in "
                     "again. Anonymous statistics stay (birth year, town, and your applications without your name). "
                     "This cannot be undone.")
    assert 0 <= html.index(what_happens[:40]) < html.index(t("Delete my account for good"))
    page.get_by_label(exactly(t("Type DELETE to confirm"))).fill("maybe")
    page.get_by_role("button", name=t("Delete my account for good")).click()
    page.locator(".error-summary").wait_for()
    v.check("delete refused without the confirmation")
    page.get_by_role("link", name=re.compile(re.escape(t("Type DELETE to confirm")))).click()
    assert page.evaluate("document.activeElement.id") == "id_confirm"
    page.get_by_label(exactly(t("Type DELETE to confirm"))).fill("DZĒST" if language == "lv" else "DELETE")
    page.get_by_role("button", name=t("Delete my account for good")).click()
    page.wait_for_url(v.site + "/")
    page.get_by_text(re.compile(re.escape(t(DELETED)[:15]))).wait_for()
    v.check("account deleted")
    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t("Sign in")).click()
    page.get_by_label(exactly(t("Username"))).fill(username)
    page.get_by_label(exactly(t("Password"))).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("Sign in")).click()
    page.locator(".error-summary").wait_for()
    v.check("the deleted account cannot sign in")
