"""The demo logins: who they are, what each shows, and the one public password."""
from __future__ import annotations

from dataclasses import dataclass

from careers.models import Role

DEMO_PASSWORD = "Demo-Parole-2026"
# ".example" is reserved (RFC 2606): no demo address can ever reach a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.example"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    shows: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMIN, "Django admin (/admin/) and every API; verifies employers"),
    DemoLogin("analyst.valmiera", Role.ANALYST, "journey 5: skill demand vs supply by town, shortages, fairness report"),
    DemoLogin("counsellor.valmiera", Role.COUNSELLOR,
              "journeys 1 and 4: school counsellor at Valmieras tehnikums; releases pupils' recommendations"),
    DemoLogin("counsellor.valmiera.novads", Role.COUNSELLOR, "journey 4: municipality counsellor, Valmiera"),
    DemoLogin("counsellor.ventspils", Role.COUNSELLOR,
              "journey 4: municipality counsellor, Ventspils; caseload of registered unemployed incl. welder.ventspils"),
    DemoLogin("counsellor.ventspils.tehnikums", Role.COUNSELLOR, "journey 4: school counsellor at Ventspils tehnikums"),
    DemoLogin("provider.vtech", Role.PROVIDER, "journey 5: Valmieras tehnikums staff; programmes and intakes"),
    DemoLogin("provider.ventspils", Role.PROVIDER, "journey 5: Ventspils tehnikums staff; programmes and intakes"),
    DemoLogin("provider.via", Role.PROVIDER, "Vidzemes Augstskola staff"),
    DemoLogin("provider.vea", Role.PROVIDER, "Ventspils Augstskola staff"),
    DemoLogin("employer.valmiera", Role.EMPLOYER,
              "journey 3: member of a verified Valmiera manufacturer; posts vacancies, ranks candidates"),
    DemoLogin("employer.ventspils", Role.EMPLOYER, "member of a verified Ventspils metalworking employer"),
    DemoLogin("employer.it", Role.EMPLOYER, "member of a verified IT employer (English-language postings, hybrid/remote)"),
    DemoLogin("employer.unverified", Role.EMPLOYER,
              "member of a new, not yet verified café: its vacancies stay hidden until staff verify it"),
    DemoLogin("pupil.valmiera", Role.CANDIDATE,
              "journey 1: 16-year-old pupil in Valmiera, supervised, RIASEC answered, few skills"),
    DemoLogin("welder.ventspils", Role.CANDIDATE,
              "journey 2: 42-year-old registered-unemployed welder in Ventspils with a Latvian CV; retrains (CNC)"),
    DemoLogin("student.via", Role.CANDIDATE, "IT student at Vidzemes Augstskola looking for part-time work / internship"),
    DemoLogin("reskilling.valmiera", Role.CANDIDATE,
              "journey 6 (and reskilling): employed office worker in Valmiera moving into data analysis"),
)
JOURNEY_USERNAMES = frozenset(login.username for login in DEMO_LOGINS)


def demo_logins_table() -> str:
    """The demo logins as a plain-text table (quickstart and the README print the same list)."""
    width = max(len(login.username) for login in DEMO_LOGINS)
    lines = [
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        f"{'username'.ljust(width)}  {'role'.ljust(10)}  what it shows",
    ]
    lines += [f"{login.username.ljust(width)}  {str(login.role).ljust(10)}  {login.shows}" for login in DEMO_LOGINS]
    return "\n".join(lines)
