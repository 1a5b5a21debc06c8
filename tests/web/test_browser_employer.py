"""Journey 3 in a real browser: an employer posts a vacancy from free text, keeps the suggested skills, publishes,
sees ranked candidates, and moves an applicant (shortlist, then reject with a reason).

The same harness as ``tests/web/test_browser.py`` (gunicorn on a fresh demo database, Debian's Chromium, axe-core on
every page and after every htmx swap or form error, no sideways scrolling at 360 px), in Latvian and English at
360 px and 1280 px. The applicant is the demo candidate ``reskilling.valmiera``, applying in a second browser
context, so the employer sees a real application arrive.
"""
from __future__ import annotations

import re

import pytest

from tests.web.test_browser import COMBOS, PASSWORD, Visit, browser, exactly, say, site, visit_for  # noqa: F401

pytestmark = pytest.mark.slow

DESCRIPTION = {"lv": "Meklējam metinātāju ražotnē: metināšana ar MIG/MAG, rasējumu lasīšana, darbs ar CNC darbgaldu.",
               "en": "We are looking for a welder in our plant: MIG/MAG welding, reading technical drawings, "
                     "operating a CNC machine."}
TITLE = {"lv": "Metinātājs", "en": "Welder"}


def sign_in(v: Visit, username: str) -> None:
    page, t = v.page, v.t
    v.go("/")
    v.choose_language()
    page.get_by_role("link", name=t("Sign in"), exact=True).first.click()
    v.check()
    page.get_by_label(exactly(t("Username"))).fill(username)
    page.get_by_label(exactly(t("Password"))).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    page.wait_for_url(v.site + "/")
    v.check("signed in")


def post_a_vacancy(v: Visit, title: str) -> str:
    """From free text to a published vacancy; returns the vacancy's page path."""
    page, t, language = v.page, v.t, v.language
    page.get_by_role("link", name=t("My organisation")).click()
    v.check()
    page.get_by_role("navigation", name=t("Employer pages")).get_by_role("link", name=t("Post a vacancy")).click()
    v.check()
    page.get_by_label(exactly(t("Job title"))).fill(title)
    page.get_by_label(exactly(t("What the job is"))).fill(DESCRIPTION[language])
    page.locator("#suggestions mark").first.wait_for()
    page.get_by_label(re.compile("^" + re.escape(t("Occupation: %(label)s").split("%")[0]))).wait_for()
    v.check("occupation and skills suggested (htmx)")
    kept = page.locator('#suggestions input[name="skill"]:checked')
    assert kept.count() >= 2
    kept.last.uncheck()  # remove one suggestion
    page.get_by_label(exactly(t("Add a skill"))).fill("metināšana" if language == "lv" else "welding")
    page.locator("#suggestions input[id^=add-]").first.wait_for()
    v.check("skill search (htmx)")
    page.locator("#suggestions input[id^=add-]").first.check()
    page.get_by_label(exactly(t("Contract"))).select_option("permanent")
    page.get_by_label(exactly(t("Hours"))).select_option("full_time")
    page.get_by_label(exactly(t("Pay from (EUR a month, gross)"))).fill("1400")
    page.get_by_label(exactly(t("Pay to (EUR a month, gross)"))).fill("1200")
    page.get_by_label(exactly(say(language, "Language: %(name)s") % {"name": say(language, "Latvian")})).select_option("3")
    page.get_by_role("button", name=t("Save and preview")).click()
    page.locator("#error-summary").wait_for()
    v.check("form error")
    assert page.get_by_role("link", name=re.compile(re.escape(t("The highest pay is lower than the lowest.")))).count()
    page.get_by_label(exactly(t("Pay to (EUR a month, gross)"))).fill("1900")
    page.get_by_role("button", name=t("Save and preview")).click()
    page.wait_for_url(re.compile(r"/employer/vacancies/\d+/$"))
    v.check("preview")
    assert page.get_by_role("heading", name=title, exact=True).is_visible()
    page.get_by_role("button", name=t("Publish")).click()
    page.get_by_text(t("The vacancy is published.")).wait_for()
    v.check("published")
    return page.url.removeprefix(v.site)


@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_3_an_employer_posts_publishes_ranks_and_moves_an_applicant(visit_for, language, width):
    title = f"{TITLE[language]} {language}-{width}"
    v = visit_for(width=width, language=language)
    page, t = v.page, v.t
    sign_in(v, "employer.valmiera")
    vacancy = post_a_vacancy(v, title)

    page.get_by_role("link", name=t("Ranked candidates")).click()
    v.check("ranked candidates")
    ranked = page.locator("ol.results > li.result")
    assert ranked.count() >= 1
    assert "@" not in " ".join(ranked.all_inner_texts())  # no contact details before applying

    applicant = visit_for(width=width, language=language)
    sign_in(applicant, "reskilling.valmiera")
    applicant.go("/jobs/" + vacancy.rstrip("/").split("/")[-1] + "/")
    applicant.page.get_by_label(exactly(applicant.t("Message"))).fill("Esmu strādājis ar MIG/MAG.")
    applicant.page.get_by_role("button", name=applicant.t("Send my application")).click()
    applicant.page.wait_for_url(re.compile(r"/me/applications/$"))
    applicant.check("applied")

    page.goto(v.site + vacancy)
    page.get_by_role("link", name=t("Applicants"), exact=True).click()
    v.check("applicants")
    new = page.get_by_role("region", name=re.compile("^" + re.escape(t("New"))))
    assert new.get_by_text("@example").count() + new.get_by_text("@").count() >= 1  # contact once applied
    new.get_by_label(exactly(t("Move to"))).select_option("shortlisted")
    new.get_by_role("button", name=re.compile("^" + re.escape(t("Move %(name)s").split("%")[0]))).click()
    page.get_by_text(re.compile(re.escape(t("The application is moved: %(status)s.").split("%")[0]))).wait_for()
    v.check("shortlisted")
    shortlisted = page.get_by_role("region", name=re.compile("^" + re.escape(t("Shortlisted"))))
    shortlisted.get_by_label(exactly(t("Move to"))).select_option("rejected")
    shortlisted.get_by_role("button", name=re.compile("^" + re.escape(t("Move %(name)s").split("%")[0]))).click()
    page.locator("#error-summary").wait_for()
    v.check("rejection without a reason")
    shortlisted = page.get_by_role("region", name=re.compile("^" + re.escape(t("Shortlisted"))))
    shortlisted.get_by_label(exactly(t("Move to"))).select_option("rejected")
    shortlisted.get_by_label(exactly(t("Reason"))).select_option("language")
    shortlisted.get_by_role("button", name=re.compile("^" + re.escape(t("Move %(name)s").split("%")[0]))).click()
    page.get_by_text(re.compile(re.escape(t("The application is moved: %(status)s.").split("%")[0]))).wait_for()
    v.check("rejected with a reason")
    rejected = page.get_by_role("region", name=re.compile("^" + re.escape(t("Rejected"))))
    assert rejected.get_by_text(say(language, "language requirements not met")).count() == 1

    page.get_by_role("link", name=t("Skills candidates lack")).click()
    v.check("missing skills")
    page.get_by_role("link", name=t("Upload a spreadsheet")).click()
    v.check("upload")
    assert len(v.checked) >= 14
