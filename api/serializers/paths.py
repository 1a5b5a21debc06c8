"""Learning paths (issue 5): programmes, careers, pathways and what-if for a candidate: query, body, answer shapes."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from careers.models import (
    CefrLevel, ContractKind, EducationLevel, FundingKind, Language, Programme, ProgrammeKind, ProgrammeMode, Skill, TargetGroup,
)
from careers.results import PATH_REASONS

from .oversight import awaiting_review_field, list_reason_field, review_field, review_notice_field
from .resources_common import MAX_ID

MAX_TOP_K = 50
MAX_WHAT_IF_SKILLS = 50
MAX_URI = 300
TOP_K_HELP = _("How many results at most (1–50, default {default}).")

MSG_ONE_OF = _("Give either `skills` or `programme`, not both.")
MSG_NONE_GIVEN = _("Give `skills` (ESCO skill URIs) or `programme` (a programme id).")
MSG_UNKNOWN_SKILLS = _("Unknown skill URIs: {uris}.")
MSG_UNKNOWN_PROGRAMME = _("No active programme has this id.")
MSG_DUPLICATE = _("Each skill may appear once.")
MSG_LANGUAGES_ALONE = _("Give `languages` alone, without `skills` or `programme`.")
MSG_LANGUAGE_TWICE = _("Each language may appear once.")


REACH = [("commute", "commute"), ("online", "online"), ("dormitory", "dormitory"), ("relocation", "relocation")]
FAILED = [("education", "education"), ("target_group", "target_group"), ("too_young", "too_young"),
          ("too_old", "too_old"), ("language", "language")]


def path_reason_field() -> serializers.ChoiceField:
    """Why a programmes, careers or pathways list is empty (or, ``out_of_reach_only``, why every item is far)."""
    return serializers.ChoiceField(choices=[(r, r) for r in PATH_REASONS], allow_null=True, help_text=_(
        "Null for an ordinary list. Why the list is empty: `no_processing_consent`, `not_released`, "
        "`no_open_intakes` (no programme takes applications), `no_eligible_programmes` (none admits this person: "
        "target group, age, education, language), `nothing_new_to_learn` (only programmes one studies, finished or "
        "whose skills one holds), `no_vacancies_within_reach`, `no_gap_to_close` (every vacancy within reach fits "
        "already), `no_skills_yet`, `no_programme_closes_gap`, `no_interests_or_skills` (careers), "
        "`no_programme_fits` (programmes: none teaches a skill the person's gap weighs, unlocks a vacancy, leads to a "
        "named occupation or fits their interests). On a list with items, `out_of_reach_only`: nothing within reach "
        "fits, every item is further away (`within_reach: false`)."))


def reason_message_field() -> serializers.CharField:
    return serializers.CharField(allow_null=True, help_text=_("The reason as one plain sentence in the request "
                                                              "language (Latvian by default)."))


def reach_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=REACH, allow_null=True, help_text=_(
        "Why it is within reach: `commute` (within the commute limit), `online`, `dormitory` (the school's "
        "dormitory, for pupils and students), `relocation` (the candidate will move); null: out of reach."))


# --------------------------------------------------------------------------------------------------- input
class PathQuerySerializer(serializers.Serializer):
    top_k = serializers.IntegerField(min_value=1, max_value=MAX_TOP_K, default=10,
                                     help_text=format_lazy(TOP_K_HELP, default=10))


class PathwayQuerySerializer(serializers.Serializer):
    top_k = serializers.IntegerField(min_value=1, max_value=MAX_TOP_K, default=5,
                                     help_text=format_lazy(TOP_K_HELP, default=5))


CEFR_NAME_CHOICES = [(name, name) for name in ("A1", "A2", "B1", "B2", "C1", "C2")]


class WhatIfLanguageSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices, help_text=_("Language code (ISO 639-1)."))
    level = serializers.ChoiceField(choices=CEFR_NAME_CHOICES, help_text=_("CEFR level."))

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return {"language": value["language"], "level": CefrLevel[value["level"]].value}


class WhatIfInputSerializer(serializers.Serializer):
    skills = serializers.ListField(
        child=serializers.CharField(max_length=MAX_URI), required=False, min_length=1,
        max_length=MAX_WHAT_IF_SKILLS, help_text=_("ESCO skill URIs the candidate would gain (at most 50)."))
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                         help_text=_("An active programme: its skills taught are added."))
    languages = WhatIfLanguageSerializer(many=True, required=False, min_length=1, max_length=5, help_text=_(
        'Language levels the candidate would have ("what if I had Latvian B1"): 1–5 entries, one per language.'))
    top_k = serializers.IntegerField(min_value=1, max_value=MAX_TOP_K, default=10,
                                     help_text=_("Length of the job lists compared (top_before, top_after)."))

    def validate_languages(self, value: list[dict]) -> list[dict]:
        codes = [v["language"] for v in value]
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError(MSG_LANGUAGE_TWICE)
        return value

    def validate_skills(self, value: list[str]) -> list[str]:
        for uri in value:
            try:
                ProhibitNullCharactersValidator()(uri)  # PostgreSQL cannot compare text containing NUL
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        if len(set(value)) != len(value):
            raise serializers.ValidationError(MSG_DUPLICATE)
        known = dict(Skill.objects.filter(uri__in=value).values_list("uri", "id"))
        unknown = [uri for uri in value if uri not in known]
        if unknown:
            raise serializers.ValidationError(str(MSG_UNKNOWN_SKILLS).format(uris=", ".join(unknown)))
        return [known[uri] for uri in value]  # skill ids

    def validate_programme(self, value: int) -> int:
        if not Programme.objects.filter(pk=value, is_active=True).exists():
            raise serializers.ValidationError(MSG_UNKNOWN_PROGRAMME)
        return value

    def validate(self, attrs: dict) -> dict:
        has_skills, has_programme = "skills" in attrs, "programme" in attrs
        if "languages" in attrs:
            if has_skills or has_programme:
                raise serializers.ValidationError({"languages": [MSG_LANGUAGES_ALONE]})
            attrs["languages"] = {v["language"]: v["level"] for v in attrs["languages"]}
            return attrs
        if has_skills and has_programme:
            raise serializers.ValidationError({"skills": [MSG_ONE_OF], "programme": [MSG_ONE_OF]})
        if not (has_skills or has_programme):
            raise serializers.ValidationError({"skills": [MSG_NONE_GIVEN], "programme": [MSG_NONE_GIVEN]})
        return attrs


# -------------------------------------------------------------------------------------------------- shapes
class PathSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField(help_text=_("Preferred label in the request language."))


class PathVacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class PathInstitutionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("Name in the request language."))
    short_name = serializers.CharField(allow_blank=True)


class PathTownSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("Name in the request language."))


class ProgrammeSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("Name in the request language."))
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    mode = serializers.ChoiceField(choices=ProgrammeMode.choices)
    eqf_level = serializers.IntegerField()
    duration_months = serializers.IntegerField()
    institution = PathInstitutionSerializer()
    town = PathTownSerializer()


class IntakeSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start_date = serializers.DateField()
    application_deadline = serializers.DateField()
    seats = serializers.IntegerField()
    funded_seats = serializers.IntegerField()
    is_demo = serializers.BooleanField(help_text=_("Demo dates: no published schedule backs this intake."))


class RequirementsSerializer(serializers.Serializer):
    min_education = serializers.ChoiceField(choices=EducationLevel.choices)
    candidate_education = serializers.ChoiceField(choices=EducationLevel.choices)
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), help_text=_(
        "Who it admits (any one group suffices; empty: anyone with the prior education)."))
    min_age = serializers.IntegerField(allow_null=True)
    max_age = serializers.IntegerField(allow_null=True)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices),
                                      help_text=_("Languages of instruction (B1 or better in one is needed)."))
    enrolable = serializers.BooleanField()
    failed = serializers.ListField(child=serializers.ChoiceField(choices=FAILED), help_text=_(
        "The entry rules the candidate does not meet (empty when enrolable)."))
    reason = serializers.CharField(allow_null=True, help_text=_("Why not enrolable, in the request language."))


class FundingFieldsSerializer(serializers.Serializer):
    cost_eur = serializers.FloatField(help_text=_("Cost of the whole programme."))
    cost_after_funding_eur = serializers.FloatField()
    funding = serializers.ChoiceField(choices=[(f, f) for f in FundingKind.values], help_text=_(
        "The funding used: `training_voucher` (registered unemployed, voucher-eligible programme), "
        "`state_funded_place` (budget place; competitive), `adult_learning_cofinancing` (employed adult pays 10 %), "
        "`none`."))
    competitive = serializers.BooleanField(help_text=_("Admission to the funded place is competitive."))


class ProgrammePartsSerializer(serializers.Serializer):
    gap = serializers.FloatField()
    unlock = serializers.FloatField()
    target = serializers.FloatField()
    interest = serializers.FloatField()
    distance = serializers.FloatField()
    mode = serializers.FloatField()
    cost = serializers.FloatField()
    start = serializers.FloatField()


class ProgrammeExplanationSerializer(FundingFieldsSerializer):
    missing_skills_taught = PathSkillSerializer(many=True, help_text=_(
        "Skills the candidate lacks (for near-miss vacancies or target occupations) that the programme teaches."))
    gap_closed = serializers.FloatField(help_text=_("Share of the candidate's weighted skill gap it closes (0–1)."))
    vacancies_unlocked = serializers.IntegerField(help_text=_("Near-miss vacancies this programme alone brings "
                                                              "within the fit threshold."))
    vacancies_unlocked_top = PathVacancySerializer(many=True, help_text=_("The closest of them (at most 5)."))
    vacancies_nearer = serializers.IntegerField(help_text=_("Near-miss vacancies it brings closer."))
    leads_to_target = serializers.BooleanField()
    requirements = RequirementsSerializer()
    distance_km = serializers.FloatField(allow_null=True)
    within_reach = serializers.BooleanField()
    reach = reach_field()
    mode_fit = serializers.FloatField()
    parts = ProgrammePartsSerializer(help_text=_("Score parts, each 0–1."))


class ProgrammeRecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    enrolable = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True, help_text=_("Why the candidate cannot enrol, if so."))
    programme = ProgrammeSummarySerializer()
    intake = IntakeSummarySerializer(help_text=_("The next intake still open for applications."))
    explanation = ProgrammeExplanationSerializer()
    review = review_field()
    awaiting_review = awaiting_review_field()


class ProgrammeRecommendationsOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    items = ProgrammeRecommendationSerializer(many=True)
    reason = path_reason_field()
    reason_message = reason_message_field()
    review_notice = review_notice_field()


class PayFiguresSerializer(serializers.Serializer):
    postings = serializers.IntegerField(help_text=_("Postings with a salary behind the figures."))
    median_min = serializers.FloatField(allow_null=True, help_text=_("Null from fewer than 3 postings."))
    median_max = serializers.FloatField(allow_null=True)
    p25 = serializers.FloatField(allow_null=True)
    p75 = serializers.FloatField(allow_null=True)


class ContractPaySerializer(PayFiguresSerializer):
    contract_kind = serializers.ChoiceField(choices=ContractKind.choices)


class SalarySerializer(PayFiguresSerializer):
    scope = serializers.ChoiceField(choices=[("within_reach", "within_reach"), ("all", "all")], help_text=_(
        "`within_reach`: vacancies within the candidate's commute (when at least 3 permanent or fixed-term ones give "
        "a salary); `all`: every open vacancy of the occupation."))
    vacancies = serializers.IntegerField(help_text=_("Postings with a salary in scope, every contract kind."))
    by_contract = ContractPaySerializer(many=True, help_text=_(
        "Pay per contract kind; the headline figures above are career pay (permanent and fixed-term only)."))


class CareerProgrammeSerializer(FundingFieldsSerializer):
    programme = ProgrammeSummarySerializer()
    intake = IntakeSummarySerializer()
    enrolable = serializers.BooleanField(help_text=_("False: open once the candidate finishes the school it needs."))
    reason = serializers.CharField(allow_null=True)
    requirements = RequirementsSerializer()
    distance_km = serializers.FloatField(allow_null=True)
    within_reach = serializers.BooleanField()
    reach = reach_field()


class CareerPartsSerializer(serializers.Serializer):
    interest = serializers.FloatField()
    skills = serializers.FloatField()
    demand = serializers.FloatField()


class CareerExplanationSerializer(serializers.Serializer):
    interest_fit = serializers.FloatField(allow_null=True, help_text=_("RIASEC fit 0–1; null without answers."))
    skill_fit = serializers.FloatField(help_text=_("Share of the occupation's essential skills held."))
    essential_held = serializers.CharField(help_text=_('"n of m" essential skills held.'))
    open_vacancies = serializers.IntegerField(help_text=_("Open vacancies within reach."))
    open_vacancies_eligible = serializers.IntegerField(help_text=_("Of them, those passing every hard filter."))
    salary = SalarySerializer(allow_null=True, help_text=_("Typical monthly pay (EUR, gross) from postings."))
    programmes = CareerProgrammeSerializer(many=True, help_text=_("Local programmes leading there, next intake."))
    parts = CareerPartsSerializer()


class OccupationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField(help_text=_("Preferred label in the request language."))
    isco_code = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True, help_text=_(
        "What the work is (ESCO description; Latvian where the curated data has it)."))


class CareerRecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    occupation = OccupationSummarySerializer()
    explanation = CareerExplanationSerializer()
    review = review_field()
    awaiting_review = awaiting_review_field()


class CareerRecommendationsOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    items = CareerRecommendationSerializer(many=True)
    reason = path_reason_field()
    reason_message = reason_message_field()
    review_notice = review_notice_field()


class LanguageStepSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Language taught (ISO 639-1)."))
    level_from = serializers.CharField(source="from", allow_null=True, help_text=_("CEFR level on entry; null: "
                                                                                   "beginners."))
    level_to = serializers.CharField(source="to", help_text=_("CEFR level reached."))


class PathwayStepSerializer(FundingFieldsSerializer):
    programme = ProgrammeSummarySerializer()
    intake = IntakeSummarySerializer()
    duration_months = serializers.IntegerField()
    hours = serializers.IntegerField(allow_null=True, help_text=_("Academic hours, where known."))
    within_reach = serializers.BooleanField()
    reach = reach_field()
    missing_skills_taught = PathSkillSerializer(many=True)
    language = LanguageStepSerializer(allow_null=True, help_text=_(
        "A language step: the language and the CEFR levels it leads from and to; null for other steps."))


class PathwaySearchSerializer(serializers.Serializer):
    evaluated = serializers.IntegerField(help_text=_("Combinations scored."))
    candidates = serializers.IntegerField(help_text=_("Programmes the search considered."))
    truncated = serializers.BooleanField(help_text=_("The limit on combinations scored ended the search early."))


class PathwaySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    summary = serializers.CharField(help_text=_("One line in the request language (Latvian by default)."))
    summary_lv = serializers.CharField()
    summary_en = serializers.CharField()
    steps = PathwayStepSerializer(many=True, help_text=_("Programmes in order of start date (1–3)."))
    vacancies_unlocked = serializers.IntegerField(help_text=_(
        "unlocks_by skills: near-miss vacancies the steps together bring to the fit threshold; unlocks_by language: "
        "vacancies sharing a skill that the language level reached lets the person take."))
    unlocks_by = serializers.ChoiceField(choices=[("skills", "skills"), ("language", "language")])
    vacancies_fitting_after = serializers.IntegerField(allow_null=True, help_text=_(
        "Language pathways: of the vacancies unlocked, those whose essential skills the person already holds at the "
        "fit threshold."))
    vacancy_ids = serializers.ListField(child=serializers.IntegerField(), help_text=_("All of them, best first."))
    vacancies = PathVacancySerializer(many=True, help_text=_("The first 10 of them with titles."))
    total_duration_months = serializers.IntegerField()
    cost_after_funding_eur = serializers.FloatField()
    first_start_date = serializers.DateField()
    threshold = serializers.FloatField(help_text=_("Essential-skill coverage at which a vacancy fits."))
    radius_km = serializers.FloatField(help_text=_("The candidate's commute limit."))
    search = PathwaySearchSerializer()
    within_reach = serializers.BooleanField(help_text=_("Every step is within reach (false only on a list whose "
                                                        "reason is `out_of_reach_only`)."))
    review = review_field()


class PathwayRecommendationsOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    items = PathwaySerializer(many=True)
    reason = path_reason_field()
    reason_message = reason_message_field()


class CoverageGainSerializer(serializers.Serializer):
    vacancy = PathVacancySerializer()
    before = serializers.FloatField(help_text=_("Essential-skill coverage now (0–1)."))
    after = serializers.FloatField(help_text=_("With the added skills."))


class AddedLanguageSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.CharField(help_text=_("CEFR level assumed."))
    held = serializers.CharField(allow_null=True, help_text=_("CEFR level on record now; null: none."))


class WhatIfOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    reason = list_reason_field()
    added_skills = PathSkillSerializer(many=True, help_text=_("Skills added (those already held are not)."))
    added_languages = AddedLanguageSerializer(many=True, help_text=_(
        "With `languages`: the levels assumed above those on record (a level already held changes nothing)."))
    threshold = serializers.FloatField(allow_null=True)
    n_gained = serializers.IntegerField(help_text=_("Vacancies within reach that would newly fit."))
    vacancies_gained = PathVacancySerializer(many=True)
    n_coverage_gained = serializers.IntegerField(help_text=_("Vacancies within reach whose coverage would rise."))
    coverage_gained = CoverageGainSerializer(many=True, help_text=_("Best gains first, at most 50."))
    top_before = serializers.ListField(child=serializers.IntegerField(), help_text=_("Top job ids now."))
    top_after = serializers.ListField(child=serializers.IntegerField(), help_text=_("Top job ids with the skills."))
    entered_top = serializers.ListField(child=serializers.IntegerField())
    left_top = serializers.ListField(child=serializers.IntegerField())


EXAMPLE_SKILL = "http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8"  # program a CNC controller
WHAT_IF_EXAMPLES = [
    OpenApiExample("Skills", request_only=True,
                   value={"skills": [EXAMPLE_SKILL]}),
    OpenApiExample("A programme", request_only=True, value={"programme": 12, "top_k": 10}),
    OpenApiExample("Answer", response_only=True, value={
        "candidate": 41, "reason": None,
        "added_skills": [{"id": 310, "uri": EXAMPLE_SKILL,
                          "label": "CNC darbgaldu programmēšana"}],
        "threshold": 0.8, "n_gained": 1, "vacancies_gained": [{"id": 118, "title": "CNC operators"}],
        "n_coverage_gained": 2,
        "coverage_gained": [{"vacancy": {"id": 118, "title": "CNC operators"}, "before": 0.5, "after": 1.0}],
        "top_before": [77, 81], "top_after": [118, 77], "entered_top": [118], "left_top": [81],
    }),
]
PATHWAY_EXAMPLES = [
    OpenApiExample("Answer", response_only=True, value={"candidate": 41, "reason": None, "items": [{
        "rank": 1, "score": 1.21,
        "summary": "pabeidz šo 4 mēnešu vakara kursu (bez maksas ar apmācību kuponu), un tev atbilst vēl 7 "
                   "vietējās vakances 40 km rādiusā",
        "summary_lv": "pabeidz šo 4 mēnešu vakara kursu (bez maksas ar apmācību kuponu), un tev atbilst vēl 7 "
                      "vietējās vakances 40 km rādiusā",
        "summary_en": "finish this 4-month evening course (free with a training voucher) and 7 more local jobs "
                      "within 40 km fit you",
        "steps": [{"programme": {"id": 12, "name": "CNC operators", "kind": "continuing_course", "mode": "evening",
                                 "eqf_level": 3, "duration_months": 4,
                                 "institution": {"id": 3, "name": "Ventspils Tehnikums", "short_name": "VT"},
                                 "town": {"id": 2, "name": "Ventspils"}},
                   "intake": {"id": 30, "start_date": "2027-01-11", "application_deadline": "2026-12-20",
                              "seats": 16, "funded_seats": 8},
                   "duration_months": 4, "cost_eur": 600.0, "cost_after_funding_eur": 0.0,
                   "funding": "training_voucher", "competitive": False,
                   "missing_skills_taught": [{"id": 310, "uri": EXAMPLE_SKILL, "label": "CNC darbgaldu programmēšana"}]}],
        "vacancies_unlocked": 7, "vacancy_ids": [118, 120, 131, 140, 151, 160, 170],
        "vacancies": [{"id": 118, "title": "CNC operators"}], "total_duration_months": 4,
        "cost_after_funding_eur": 0.0, "first_start_date": "2027-01-11", "threshold": 0.8, "radius_km": 40.0,
        "search": {"evaluated": 96, "candidates": 14, "truncated": False},
    }]}),
]
