"""Why one served item was recommended, in plain Latvian or English sentences.

Built from the explanation features logged when the item was last served (``careers.services.serving``), so the
answer names what the person was shown then, not what a ranker would say now.
"""
from __future__ import annotations

import re

from django.utils import formats, translation

from careers.models import CandidateProfile, Occupation, RecommendationItem, Skill, User
from careers.results import ItemExplanation
from careers.selectors.oversight import RELEASED_DECISIONS, latest_served_item, review_decisions, viewer_is_candidate
from careers.selectors.recommendations import language_gap_entries

# Latvian addresses a pupil as "tu" and an adult as "Jūs": "[tu form|Jūs form]" picks one (see _address).
SENTENCES = {
    "rank": {"en": "Recommended as number {rank} of the list (match score {score}).",
             "lv": "Ieteikts kā {rank}. sarakstā (atbilstības novērtējums {score})."},
    "entry": {"en": "An entry job: it asks no experience, so it is ranked by your interests and how near it is.",
              "lv": "Darbs iesācējiem: pieredze nav vajadzīga, tāpēc tas ierindots pēc [tavām|Jūsu] interesēm un "
                    "attāluma."},
    "matched": {"en": "You have {n} of the skills it asks for: {skills}.",
                "lv": "[Tev|Jums] ir {n} no prasītajām prasmēm: {skills}."},
    "no_match": {"en": "None of your listed skills is asked for yet.",
                 "lv": "Neviena no [tavām|Jūsu] norādītajām prasmēm šeit netiek prasīta."},
    "experience": {"en": "From your work as {occupation} you most likely also have: {skills} (confirm them in your "
                         "profile).",
                   "lv": "Pēc [tavas|Jūsu] pieredzes profesijā “{occupation}” [tev|Jums] visticamāk ir arī: {skills} "
                         "([apstiprini|apstipriniet] tās profilā)."},
    "language_gap": {"en": "It suits your skills but asks a higher language level: {gaps}. A language course can "
                           "close that gap.",
                     "lv": "Tas der [tavām|Jūsu] prasmēm, bet prasa augstāku valodas līmeni: {gaps}. Valodas kurss "
                           "var šo plaisu aizvērt."},
    "missing": {"en": "Essential skills you do not have yet: {skills}.",
                "lv": "Būtiskās prasmes, kuru [tev|Jums] vēl nav: {skills}."},
    "distance": {"en": "It is {km} km from your town.", "lv": "Līdz turienei ir {km} km no [tavas|Jūsu] dzīvesvietas."},
    "here": {"en": "It is in your own town.", "lv": "Tas ir [tavā|Jūsu] pilsētā."},
    "remote": {"en": "The work can be done remotely.", "lv": "Darbu var veikt attālināti."},
    "teaches": {"en": "It teaches skills you are missing: {skills}.",
                "lv": "Tur māca prasmes, kuru [tev|Jums] trūkst: {skills}."},
    "unlocks": {"en": "It would bring {n} more local vacancies within reach.",
                "lv": "Pēc tam [tev|Jums] būtu piemērotas vēl {n} vietējās vakances."},
    "cost": {"en": "It costs {cost} EUR; {funding}, you would pay {after} EUR.",
             "lv": "Tas maksā {cost} EUR; {funding} [tev|Jums] būtu jāmaksā {after} EUR."},
    "free": {"en": "It costs {cost} EUR; {funding}, you would pay nothing.",
             "lv": "Tas maksā {cost} EUR; {funding} [tev|Jums] nebūtu jāmaksā nekas."},
    "price": {"en": "It costs {cost} EUR.", "lv": "Tas maksā {cost} EUR."},
    "interest": {"en": "It fits your interests ({fit}) and your skills ({skills}).",
                 "lv": "Tas atbilst [tavām|Jūsu] interesēm ({fit}) un prasmēm ({skills})."},
    "open": {"en": "There are {n} open vacancies in this occupation.",
             "lv": "Šajā profesijā ir {n} brīvas vakances."},
    "pathway": {"en": "This pathway takes {months} months, costs {after} EUR after funding and opens {n} vacancies.",
                "lv": "Šis ceļš ilgst {months} mēnešus, pēc finansējuma maksā {after} EUR un paver {n} vakances."},
}
# How the funding of a course reads inside the "cost" sentence (codes of careers.models.FundingKind).
FUNDING_PHRASES = {
    "training_voucher": {"en": "with a State Employment Agency training voucher",
                         "lv": "ar Nodarbinātības valsts aģentūras apmācību kuponu"},
    "state_funded_place": {"en": "on a state-funded place", "lv": "valsts finansētā vietā"},
    "adult_learning_cofinancing": {"en": "with adult-learning co-financing",
                                   "lv": "ar pieaugušo izglītības līdzfinansējumu"},
}
_ADDRESS = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")


def _address(text: str, *, formal: bool) -> str:
    """One form of address: "tu" for a pupil, "Jūs" for an adult."""
    return _ADDRESS.sub(lambda m: m.group(2 if formal else 1), text)


def _number(value: float, *, language: str, digits: int = 0) -> str:
    """A number as the language writes it: "1 200,50" in Latvian, "1,200.50" in English."""
    with translation.override(language):
        return formats.number_format(round(value, digits), decimal_pos=digits, use_l10n=True, force_grouping=True)


def _percent(value: float, *, language: str) -> str:
    number = _number(100 * value, language=language)
    return f"{number} %" if language == "lv" else f"{number}%"


def _skill_names(ids: list, language: str) -> str:
    skills = Skill.objects.filter(pk__in=ids).in_bulk()
    return ", ".join(skills[i].label(language) for i in ids if i in skills)


class _Sayer:
    """Collects sentences in one language and one form of address."""

    def __init__(self, *, language: str, formal: bool):
        self.language, self.formal, self.said = language, formal, []

    def __call__(self, name: str, **values) -> None:
        self.said.append(_address(SENTENCES[name][self.language], formal=self.formal).format(**values))

    def number(self, value: float, digits: int = 0) -> str:
        return _number(value, language=self.language, digits=digits)


def _where(add: _Sayer, features: dict) -> None:
    if features.get("remote"):
        add("remote")
    elif features.get("distance_km") is not None:
        km = float(features["distance_km"])
        add("here") if km < 0.5 else add("distance", km=add.number(km))


def _job_sentences(add: _Sayer, features: dict) -> None:
    if features.get("match_kind") == "entry":
        add("entry")
    matched = features.get("matched_skills") or []
    if matched:
        add("matched", n=len(matched), skills=_skill_names(matched, add.language))
    elif features.get("match_kind") != "entry" and not features.get("experience_skills"):
        add("no_match")
    by_occupation: dict[int, list[int]] = {}
    for entry in features.get("experience_skills") or []:
        by_occupation.setdefault(entry["occupation"], []).append(entry["skill"])
    occupations = Occupation.objects.in_bulk(list(by_occupation)) if by_occupation else {}
    for pk, skills in by_occupation.items():
        if pk in occupations:
            add("experience", occupation=occupations[pk].label(add.language), skills=_skill_names(skills, add.language))
    if features.get("missing_essential"):
        add("missing", skills=_skill_names(features["missing_essential"], add.language))
    if features.get("language_gaps"):
        gaps = language_gap_entries(features["language_gaps"], language=add.language)
        add("language_gap", gaps="; ".join(g["message"] for g in gaps))
    _where(add, features)


def _programme_sentences(add: _Sayer, features: dict) -> None:
    if features.get("missing_skills_taught"):
        add("teaches", skills=_skill_names(features["missing_skills_taught"], add.language))
    if features.get("vacancies_unlocked"):
        add("unlocks", n=features["vacancies_unlocked"])
    _where(add, features)
    cost, after = features.get("cost_eur"), features.get("cost_after_funding_eur")
    if cost is None or after is None:
        return
    phrase = FUNDING_PHRASES.get(features.get("funding") or "", {}).get(add.language)
    if phrase is None or after >= cost:
        add("price", cost=add.number(cost))
    elif after <= 0:
        add("free", cost=add.number(cost), funding=phrase)
    else:
        add("cost", cost=add.number(cost), funding=phrase, after=add.number(after))


def explain_sentences(item: RecommendationItem, *, kind: str, language: str, formal: bool = True) -> list[str]:
    """Plain-language reasons from the logged features of one served item (``formal``: Latvian "Jūs")."""
    features = item.features or {}
    add = _Sayer(language=language, formal=formal)
    add("rank", rank=item.rank, score=add.number(item.score, 2))
    if kind == "jobs":
        _job_sentences(add, features)
    elif kind == "programmes":
        _programme_sentences(add, features)
    elif kind == "careers":
        add("interest", fit=_percent(features.get("interest_fit") or 0, language=language),
            skills=_percent(features.get("skill_fit") or 0, language=language))
        add("open", n=features.get("open_vacancies") or 0)
    elif kind == "pathways":
        add("pathway", months=features.get("total_duration_months"),
            after=add.number(features.get("cost_after_funding_eur") or 0), n=features.get("vacancies_unlocked") or 0)
    return add.said


def served_item_explanation(*, viewer: User | None, candidate: CandidateProfile, kind: str, item_key: str,
                            language: str) -> ItemExplanation | None:
    """The sentences for the item as last served to ``candidate``; None when it never was, or when a supervised
    candidate asks about an item their counsellor has not released."""
    if viewer_is_candidate(viewer=viewer, candidate=candidate) and candidate.is_supervised and \
            review_decisions(candidate=candidate, kind=kind).get(item_key) not in RELEASED_DECISIONS:
        return None
    item = latest_served_item(candidate=candidate, kind=kind, item_key=item_key)
    if item is None:
        return None
    return ItemExplanation(candidate=candidate.pk, kind=kind, item_key=item_key, language=language,
                           served_at=item.list.created_at, model_version=item.list.model_version,
                           sentences=explain_sentences(item, kind=kind, language=language,
                                                       formal=not candidate.is_minor))
