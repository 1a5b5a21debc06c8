"""Skill extraction, title matching and the two recommendation lists: request bodies, query and answer shapes."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field
from rest_framework import serializers

from careers.models import Vacancy
from careers.results import JOB_REASONS

from .fields import StrictCharField
from .oversight import list_reason_field, review_field
from .resources_candidates import SERIALIZER_FOR_ACCESS, CandidateOutputSchema
from .resources_common import EmployerRefOutputSerializer, OccupationRefOutputSerializer, TownRefOutputSerializer

MAX_TEXT = 10_000
MAX_TITLE = 200
MAX_TOP_K = 50
DEFAULT_TOP_K = 10
TOP_K_HELP = _("How many results at most (1–50, default 10).")


def top_k_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_TOP_K, default=DEFAULT_TOP_K, help_text=TOP_K_HELP)


# --------------------------------------------------------------------------------------------- extraction
class SkillExtractInputSerializer(serializers.Serializer):
    text = StrictCharField(max_length=MAX_TEXT, trim_whitespace=True,
                                 help_text=_("Free text in Latvian or English: a vacancy, a CV, a few sentences."))
    top_k = top_k_field()


class SpanOutputSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text=_("Offset of the first character in the text."))
    end = serializers.IntegerField(help_text=_("Offset after the last character."))
    text = serializers.CharField(help_text=_("The matched words as written."))


class ExtractedSkillOutputSerializer(serializers.Serializer):
    uri = serializers.CharField()
    label = serializers.CharField(help_text=_("Preferred label in the request language (Accept-Language)."))
    score = serializers.FloatField(help_text=_("0–1; a phrase match scores above a words-in-any-order match."))
    span = SpanOutputSerializer()


class MatchedOccupationOutputSerializer(serializers.Serializer):
    uri = serializers.CharField()
    label = serializers.CharField(help_text=_("Preferred label in the request language (Accept-Language)."))
    score = serializers.FloatField(help_text=_("Label similarity; an exact label match adds a bonus (up to ~1.25)."))


class SkillExtractOutputSerializer(serializers.Serializer):
    skills = ExtractedSkillOutputSerializer(many=True, help_text=_(
        "Skills the text says the person has. A negated mention (\"almost no English\", \"nav pieredzes ar "
        "…\") is not one, nor is one the person wants to learn (see to_learn)."))
    to_learn = ExtractedSkillOutputSerializer(many=True, help_text=_(
        "Skills the text says the person wants to learn (\"I am learning Latvian\", \"gribu apgūt "
        "metināšanu\"): targets, not skills held."))
    target_occupations = MatchedOccupationOutputSerializer(many=True, help_text=_(
        "Occupations the text says the person wants (\"I want to become a welder\")."))


EXTRACT_EXAMPLES = [
    OpenApiExample("Latvian CV sentence", request_only=True,
                   value={"text": "Pieredze metināšanā un darbā ar Excel, B kategorijas autovadītāja apliecība.",
                          "top_k": 5}),
    OpenApiExample("Answer", response_only=True, value={"skills": [
        {"uri": "http://data.europa.eu/esco/skill/1c7ad2e6-66c1-4f5d-8b1b-5a4d1b2c7a2e", "label": "metināšana",
         "score": 0.93, "span": {"start": 9, "end": 20, "text": "metināšanā"}},
    ]}),
]


# ------------------------------------------------------------------------------------------------- titles
class TitleMatchInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=MAX_TITLE, trim_whitespace=True,
                                  help_text=_("A job title in Latvian or English (feminine forms too)."))
    top_k = top_k_field()


class TitleMatchOutputSerializer(serializers.Serializer):
    occupations = MatchedOccupationOutputSerializer(many=True)


TITLE_EXAMPLES = [
    OpenApiExample("Feminine Latvian title", request_only=True, value={"title": "grāmatvede", "top_k": 3}),
    OpenApiExample("Answer", response_only=True, value={"occupations": [
        {"uri": "http://data.europa.eu/esco/occupation/ff656b3a-a2f4-4d0e-9a3b-0e9b4a0f8c55", "label": "grāmatvedis",
         "score": 1.02},
    ]}),
]


# ------------------------------------------------------------------------------------------ recommendations
class RecommendationQuerySerializer(serializers.Serializer):
    top_k = top_k_field()


class SkillRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField()


class MatchedSkillSerializer(serializers.Serializer):
    skill = SkillRefSerializer()
    essential = serializers.BooleanField()
    level = serializers.IntegerField(help_text=_("The candidate's proficiency, 1–4."))


class RelatedSkillSerializer(serializers.Serializer):
    skill = SkillRefSerializer(help_text=_("The vacancy's skill, credited partly."))
    essential = serializers.BooleanField()
    credit = serializers.FloatField(help_text=_("Partial credit, at most 0.5."))
    via = SkillRefSerializer(allow_null=True, help_text=_("The candidate's skill that earns the credit."))


class OccupationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField()


class ExperienceSkillSerializer(serializers.Serializer):
    skill = SkillRefSerializer(help_text=_("The vacancy's skill, not stated by the candidate."))
    essential = serializers.BooleanField()
    credit = serializers.FloatField(help_text=_("Reduced credit until the candidate confirms the skill (0.7)."))
    occupation = OccupationBriefSerializer(allow_null=True,
                                           help_text=_("The occupation of their work history that implies it."))


class FiltersSerializer(serializers.Serializer):
    languages = serializers.BooleanField()
    education = serializers.BooleanField()
    age = serializers.BooleanField()
    hours = serializers.BooleanField()
    commute = serializers.BooleanField(required=False, help_text=_("Only for full access to the candidate."))


class ScorePartsSerializer(serializers.Serializer):
    essential = serializers.FloatField()
    optional = serializers.FloatField()
    similarity = serializers.FloatField()
    proficiency = serializers.FloatField()
    text = serializers.FloatField()
    occupation = serializers.FloatField()
    profile = serializers.FloatField()
    distance = serializers.FloatField(required=False)
    contract = serializers.FloatField()


class RankerSerializer(serializers.Serializer):
    version = serializers.CharField(help_text=_("The learned ranker that ordered the list."))
    score = serializers.FloatField(help_text=_("Its score for this item (the order of the list)."))


class EntryPartsSerializer(serializers.Serializer):
    interest = serializers.FloatField(help_text=_("RIASEC fit with the occupation, 0–1 (0.5 when unknown)."))
    distance = serializers.FloatField(help_text=_("1 − distance / commute limit (remote: 1)."))


class EntryScoreSerializer(serializers.Serializer):
    parts = EntryPartsSerializer()
    weights = EntryPartsSerializer(help_text=_("score = Σ weight × part."))


class LanguageGapSerializer(serializers.Serializer):
    language = serializers.CharField(help_text=_("Language code (ISO 639-1)."))
    language_label = serializers.CharField()
    required = serializers.CharField(help_text=_("CEFR level the vacancy asks."))
    held = serializers.CharField(allow_null=True, help_text=_("CEFR level the person has; null for none."))
    message = serializers.CharField(help_text=_('E.g. "vajag latviešu valodu B1, tev ir A1" / "needs Latvian B1, you '
                                                'have A1".'))


class ExplanationSerializer(serializers.Serializer):
    """A ``careers.results.Explanation``; the commute-derived fields only for full access, ``ranker`` only when set."""

    matched_skills = MatchedSkillSerializer(many=True)
    related_skills = RelatedSkillSerializer(many=True)
    experience_skills = ExperienceSkillSerializer(
        many=True, help_text=_('Skills "from your work as …": essential skills of an occupation in the work history.'))
    essential_from_experience = serializers.IntegerField(
        help_text=_("Essential skills of the vacancy implied by the work history, beside the n held."))
    missing_essential = SkillRefSerializer(many=True, help_text=_("Essential skills of the vacancy the candidate lacks."))
    essential_matched = serializers.CharField(help_text=_('"n of m" essential skills held.'))
    distance_km = serializers.FloatField(allow_null=True, help_text=_("Road distance between the towns where known, "
                                                                      "else great-circle × 1.3; null when unknown."))
    remote = serializers.BooleanField()
    filters = FiltersSerializer(help_text=_("Hard filters; every item the ranker listed passed them all (an item a "
                                            "counsellor added may fail some)."))
    parts = ScorePartsSerializer(help_text=_("Score parts, each 0–1 (distance only for full access)."))
    contributions = ScorePartsSerializer(help_text=_("Each part times its weight; they add up to the score."))
    ranker = RankerSerializer(required=False, help_text=_("Only when a learned ranker ordered the list."))
    commute_limit_km = serializers.FloatField(required=False, help_text=_("Only for full access to the candidate."))
    relocation_needed = serializers.BooleanField(required=False, help_text=_("Only for full access to the candidate."))
    match_kind = serializers.ChoiceField(
        choices=[("skills", "skills"), ("entry", "entry"), ("language_gap", "language_gap")],
        help_text=_("skills: shares at least one skill or related skill with the person; entry: a job open to a "
                    "beginner (summer job, helper post, apprenticeship), ranked by interest and distance; "
                    "language_gap (only in `language_gap`): a skill match that asks a higher language level."))
    entry = EntryScoreSerializer(required=False, help_text=_("Only for entry jobs: the parts of their score."))
    language_gaps = LanguageGapSerializer(many=True, required=False, help_text=_(
        "Only for language_gap items: each language level the vacancy asks above the person's."))

    def to_representation(self, instance) -> dict:
        out = super().to_representation(instance)
        if instance.ranker is None:
            del out["ranker"]
        if instance.entry is None:
            del out["entry"]
        if not instance.language_gaps:
            del out["language_gaps"]
        if not instance.full_access:  # derived from the commute limit, which only full access may read
            del out["commute_limit_km"], out["relocation_needed"]
            out["filters"].pop("commute", None)
        return out


class VacancyBriefSerializer(serializers.ModelSerializer):
    employer = EmployerRefOutputSerializer()
    town = TownRefOutputSerializer()
    occupation = OccupationRefOutputSerializer(allow_null=True)

    class Meta:
        model = Vacancy
        fields = ["id", "title", "employer", "town", "occupation", "contract_kind", "hours", "work_arrangement",
                  "salary_min", "salary_max", "expires_at"]


@extend_schema_field(VacancyBriefSerializer)
class VacancyBriefField(serializers.Field):
    """A vacancy brief of ``careers.selectors.vacancies.public_vacancy_briefs``: already in this shape and language."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> dict:
        return value


class JobRecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField(help_text=_("Match score; 0 for a vacancy a counsellor added that fails a hard "
                                               "filter."))
    vacancy = VacancyBriefField()
    explanation = ExplanationSerializer()
    review = review_field()


class JobRecommendationsOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    items = JobRecommendationSerializer(many=True)
    reason = serializers.ChoiceField(choices=[(r, r) for r in JOB_REASONS], allow_null=True, help_text=_(
        "Null for a list with items. Why the list is empty: `no_processing_consent`, `not_released`, "
        "`no_vacancies_within_reach` (no open vacancy passes the person's commute, languages, education, age and "
        "hours), `no_skills_yet` (no skill in the profile and no entry job open to the person), `nothing_fits_now` "
        "(no open vacancy the person may take shares a skill, and no entry job), `language_gap_only` (the only jobs "
        "that share a skill ask a higher language level: see `language_gap`)."))
    reason_message = serializers.CharField(allow_null=True, help_text=_(
        "The reason as one plain sentence in the request language (Latvian by default)."))
    language_gap = JobRecommendationSerializer(many=True, help_text=_(
        "Jobs that fail only on a language level, after `items` and never in them, each with "
        "`explanation.language_gaps`."))


@extend_schema_field(CandidateOutputSchema)
class CandidateAtAccessField(serializers.Field):
    """The candidate in the shape the viewer's access level allows (``SERIALIZER_FOR_ACCESS``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> dict:
        return SERIALIZER_FOR_ACCESS[value.access](value.candidate).data


class CandidateRecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    candidate = CandidateAtAccessField()
    explanation = ExplanationSerializer()


class CandidateRecommendationsOutputSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    items = CandidateRecommendationSerializer(many=True)
    reason = serializers.CharField(allow_null=True, help_text=_(
        "Why the list is empty when nothing could be recommended: `vacancy_not_public`; else null."))
