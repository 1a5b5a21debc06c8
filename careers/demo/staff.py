"""Demo staff: counsellors, provider staff, employer members, the analyst and the admin."""
from __future__ import annotations

from collections import Counter

from careers.models import Counsellor, Employer, ProviderStaff, Role, User, Vacancy

from .common import section_rng
from .reference import Reference
from .sync import upsert
from .users import NamePicker, PlannedUser
from .vacancies import PlannedVacancy

COUNSELLORS = {
    # key: (username, works_for, institution key, town)
    "school_valmiera": ("counsellor.valmiera", Counsellor.Employer.SCHOOL, "vtech", "Valmiera"),
    "municipality_valmiera": ("counsellor.valmiera.novads", Counsellor.Employer.MUNICIPALITY, None, "Valmiera"),
    "municipality_ventspils": ("counsellor.ventspils", Counsellor.Employer.MUNICIPALITY, None, "Ventspils"),
    "school_ventspils": ("counsellor.ventspils.tehnikums", Counsellor.Employer.SCHOOL, "ventech", "Ventspils"),
}
PROVIDERS = {"provider.vtech": "vtech", "provider.ventspils": "ventech", "provider.via": "via", "provider.vea": "vea"}
# employer login -> (town, preferred employer name fragment, sectors to fall back on in order of preference)
EMPLOYER_LOGINS = {
    "employer.valmiera": ("Valmiera", "VALPRO", ("metal", "glass_fibre", "food", "wood", "electronics")),
    "employer.ventspils": ("Ventspils", "Bucher", ("metal", "electronics", "glass_fibre")),
    "employer.it": ("Ventspils", "Accenture", ("it",)),
}
UNVERIFIED_EMPLOYER_LOGIN = "employer.unverified"
STAFF_LANGUAGE = {"employer.it": "en"}


def staff_plan() -> list[PlannedUser]:
    """The staff accounts with invented names, drawn from the "staff" stream in this order."""
    rng = section_rng("staff")
    names = NamePicker(rng)
    staff: list[PlannedUser] = [
        PlannedUser("admin", "Demo", "Administrators", Role.ADMIN, True, is_staff=True, is_superuser=True),
        PlannedUser("analyst.valmiera", *names.pick("female"), Role.ANALYST, True),
    ]
    for username, *_rest in COUNSELLORS.values():
        staff.append(PlannedUser(username, *names.pick(rng.choice(["female", "female", "male"])), Role.COUNSELLOR, True))
    for username in PROVIDERS:
        staff.append(PlannedUser(username, *names.pick(rng.choice(["female", "male"])), Role.PROVIDER, True))
    for username in [*EMPLOYER_LOGINS, UNVERIFIED_EMPLOYER_LOGIN]:
        staff.append(PlannedUser(username, *names.pick(rng.choice(["female", "male"])), Role.EMPLOYER, True,
                                 preferred_language=STAFF_LANGUAGE.get(username, "lv")))
    return staff


def counsellors_sync(*, ref: Reference, users: dict[str, User]) -> dict[str, Counsellor]:
    """Create or update the counsellors; returns COUNSELLORS key -> counsellor."""
    existing = {c.user.username: c for c in Counsellor.objects.select_related("user").filter(
        user__username__in=[v[0] for v in COUNSELLORS.values()])}
    counsellors = upsert(Counsellor, existing, {
        username: {
            "user_id": users[username].pk, "works_for": works_for,
            "institution_id": ref.institutions[inst].pk if inst else None, "town_id": ref.towns[town].pk,
        }
        for username, works_for, inst, town in COUNSELLORS.values()
    })
    return {key: counsellors[spec[0]] for key, spec in COUNSELLORS.items()}


def provider_staff_sync(*, ref: Reference, users: dict[str, User]) -> None:
    existing = {p.user.username: p for p in ProviderStaff.objects.select_related("user").filter(
        user__username__in=list(PROVIDERS))}
    upsert(ProviderStaff, existing, {
        username: {"user_id": users[username].pk, "institution_id": ref.institutions[key].pk}
        for username, key in PROVIDERS.items()
    })


def employer_members_add(
    *, employers: list[Employer], planned_vacancies: list[PlannedVacancy], cafe: Employer, users: dict[str, User],
) -> None:
    """Make each employer login a member of a fitting verified employer with open postings; the café's login its."""
    open_count = Counter(p.employer.pk for p in planned_vacancies if p.fields["status"] == Vacancy.Status.OPEN)
    every_sector = tuple(sorted({e.sector for e in employers}))
    for username, (town, hint, sectors) in EMPLOYER_LOGINS.items():
        employer = (_pick_employer(employers, open_count, town, hint, sectors)
                    or _pick_employer(employers, open_count, town, hint, every_sector))
        if employer is not None:
            employer.members.add(users[username])
    cafe.members.add(users[UNVERIFIED_EMPLOYER_LOGIN])


def _pick_employer(
    employers: list[Employer], vacancy_count: Counter, town: str, hint: str, sectors: tuple[str, ...]
) -> Employer | None:
    for employer in employers:
        if hint in employer.name and employer.verified and employer.town.name == town and vacancy_count[employer.pk]:
            return employer
    for sector in sectors:
        matches = [e for e in employers if e.verified and e.town.name == town and e.sector == sector]
        if matches:
            return max(matches, key=lambda e: (vacancy_count[e.pk], e.name))
    return None
