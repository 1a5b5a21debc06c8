"""Why one served item was recommended, in plain Latvian or English sentences.

Built from the explanation features logged when the item was last served (``careers.services.serving``), so the
answer names what the person was shown then, not what a ranker would say now.
"""
from __future__ import annotations

from careers.models import CandidateProfile, RecommendationItem, Skill, User
from careers.results import ItemExplanation
from careers.selectors.oversight import RELEASED_DECISIONS, latest_served_item, review_decisions, viewer_is_candidate

SENTENCES = {
    "rank": {"en": "Recommended as number {rank} of the list (match score {score:.2f}).",
             "lv": "Ieteikts kā {rank}. sarakstā (atbilstības novērtējums {score:.2f})."},
    "matched": {"en": "You have {n} of the skills it asks for: {skills}.",
                "lv": "Tev ir {n} no prasītajām prasmēm: {skills}."},
    "no_match": {"en": "None of your listed skills is asked for yet.",
                 "lv": "Neviena no tavām norādītajām prasmēm vēl netiek prasīta."},
    "missing": {"en": "Essential skills you do not have yet: {skills}.",
                "lv": "Būtiskas prasmes, kuru tev vēl nav: {skills}."},
    "distance": {"en": "It is {km:.0f} km from your town.", "lv": "Tas ir {km:.0f} km no tavas dzīvesvietas."},
    "remote": {"en": "The work can be done remotely.", "lv": "Darbu var veikt attālināti."},
    "teaches": {"en": "It teaches skills you are missing: {skills}.",
                "lv": "Tajā māca prasmes, kuru tev trūkst: {skills}."},
    "unlocks": {"en": "It would bring {n} local vacancies within reach.",
                "lv": "Tā tev pavērtu {n} vietējās vakances."},
    "cost": {"en": "It costs {cost:.0f} EUR; with funding ({funding}) you would pay {after:.0f} EUR.",
             "lv": "Tā maksā {cost:.0f} EUR; ar finansējumu ({funding}) tev būtu jāmaksā {after:.0f} EUR."},
    "interest": {"en": "It fits your interests ({fit:.0%}) and your skills ({skills:.0%}).",
                 "lv": "Tā atbilst tavām interesēm ({fit:.0%}) un prasmēm ({skills:.0%})."},
    "open": {"en": "There are {n} open vacancies in this occupation.",
             "lv": "Šajā profesijā ir {n} brīvas vakances."},
    "pathway": {"en": "This pathway takes {months} months, costs {after:.0f} EUR after funding and opens {n} "
                      "vacancies.",
                "lv": "Šis ceļš ilgst {months} mēnešus, pēc finansējuma maksā {after:.0f} EUR un paver {n} "
                      "vakances."},
}


def _skill_names(ids: list, language: str) -> str:
    skills = Skill.objects.filter(pk__in=ids).in_bulk()
    return ", ".join(skills[i].label(language) for i in ids if i in skills)


def explain_sentences(item: RecommendationItem, *, kind: str, language: str) -> list[str]:
    """Plain-language reasons from the logged features of one served item."""
    features = item.features or {}
    say = []

    def add(name: str, **values) -> None:
        say.append(SENTENCES[name][language].format(**values))

    add("rank", rank=item.rank, score=item.score)
    if kind == "jobs":
        matched = features.get("matched_skills") or []
        add("matched", n=len(matched), skills=_skill_names(matched, language)) if matched else add("no_match")
        if features.get("missing_essential"):
            add("missing", skills=_skill_names(features["missing_essential"], language))
        if features.get("remote"):
            add("remote")
        elif features.get("distance_km") is not None:
            add("distance", km=features["distance_km"])
    elif kind == "programmes":
        if features.get("missing_skills_taught"):
            add("teaches", skills=_skill_names(features["missing_skills_taught"], language))
        if features.get("vacancies_unlocked"):
            add("unlocks", n=features["vacancies_unlocked"])
        if features.get("distance_km") is not None:
            add("distance", km=features["distance_km"])
        if features.get("cost_eur") is not None and features.get("cost_after_funding_eur") is not None:
            add("cost", cost=features["cost_eur"], after=features["cost_after_funding_eur"],
                funding=features.get("funding") or "—")
    elif kind == "careers":
        add("interest", fit=features.get("interest_fit") or 0, skills=features.get("skill_fit") or 0)
        add("open", n=features.get("open_vacancies") or 0)
    elif kind == "pathways":
        add("pathway", months=features.get("total_duration_months"), after=features.get("cost_after_funding_eur") or 0,
            n=features.get("vacancies_unlocked") or 0)
    return say


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
                           sentences=explain_sentences(item, kind=kind, language=language))
