"""What-if (issue 5): how a candidate's jobs would change with added skills or a finished programme.

Nothing is saved and the index is not changed; the answer names vacancies still public in the database.
"""
from __future__ import annotations

from collections.abc import Sequence

from careers.models import CandidateProfile, User
from careers.results import NO_CONSENT, NOT_RELEASED, WhatIf
from careers.runtime.paths import path_service
from careers.selectors.oversight import list_withheld
from careers.selectors.shaping import Shaper
from matching.paths import ProgrammeNotOpen

MSG_NOT_OPEN = {"lv": "Šī programma kandidātam nav pieejama: {why}.",
                "en": "This programme is not open to this candidate: {why}."}


class WhatIfInputInvalid(ValueError):
    """The what-if input cannot be answered (the view's 400)."""


class WhatIfInputStale(WhatIfInputInvalid):
    """A skill or programme the request names is no longer in the index (the taxonomy or catalogue changed)."""


class WhatIfProgrammeNotOpen(WhatIfInputInvalid):
    """The programme is one the candidate may not enter (target group, age, education or language)."""


CEFR_NAMES = {1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"}


def candidate_what_if(*, viewer: User | None, candidate: CandidateProfile, skill_ids: Sequence[str] = (),
                      programme_id: int | None = None, top_k: int, language: str,
                      languages: dict[str, int] | None = None) -> WhatIf:
    """The vacancies that would newly fit or come closer, and how the top jobs would change.

    ``languages`` ({code: CEFR level 1–6}): "what if I had Latvian B1" — the language-blocked vacancies those levels
    let the person take, instead of skills.

    Raises :class:`WhatIfInputStale` when a named skill or programme is unknown to the index since the last refit,
    :class:`WhatIfProgrammeNotOpen` for a programme the candidate may not enter.
    """
    if list_withheld(viewer=viewer, candidate=candidate):
        return WhatIf(candidate=candidate.pk, reason=NOT_RELEASED)
    try:
        if languages:
            raw = path_service().what_if_languages(candidate=candidate, levels=languages, k=top_k)
        else:
            raw = path_service().what_if(candidate=candidate, skill_ids=skill_ids, programme_id=programme_id,
                                         k=top_k)
    except ProgrammeNotOpen as exc:
        why = Shaper(language=language).reason(exc.requirements)
        raise WhatIfProgrammeNotOpen(MSG_NOT_OPEN["en" if language == "en" else "lv"].format(why=why)) from None
    except ValueError as exc:
        raise WhatIfInputStale(str(exc)) from None
    if raw is None:
        return WhatIf(candidate=candidate.pk, reason=NO_CONSENT)
    gained, coverage = raw["vacancies_gained"], raw["coverage_gained"]
    shaper = Shaper(language=language,
                    vacancy_ids={*gained, *(c["vacancy_id"] for c in coverage), *raw["top_before"], *raw["top_after"]})
    public = shaper.vacancies

    def keep(values: Sequence[int]) -> list[int]:
        return [v for v in values if v in public]

    return WhatIf(
        candidate=candidate.pk, reason=None, added_skills=shaper.skills(raw["added_skills"]),
        threshold=raw["threshold"], n_gained=len(keep(gained)), vacancies_gained=shaper.vacancy_list(gained),
        n_coverage_gained=raw["n_coverage_gained"],
        coverage_gained=[{"vacancy": {"id": c["vacancy_id"], "title": public[c["vacancy_id"]]},
                          "before": c["before"], "after": c["after"]} for c in coverage if c["vacancy_id"] in public],
        top_before=keep(raw["top_before"]), top_after=keep(raw["top_after"]),
        entered_top=keep(raw["entered_top"]), left_top=keep(raw["left_top"]),
        added_languages=[{"language": a["language"], "level": CEFR_NAMES[a["level"]],
                          "held": CEFR_NAMES.get(a["held"])} for a in raw.get("added_languages", ())])
