"""django-filter FilterSets for the resource lists. Any unknown value is a 400 with a field message, never ignored."""
from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from careers.selectors import geo
from careers.folding import Fold, fold_text
from careers.models import (
    Application,
    CandidateProfile,
    ContractKind,
    EducationLevel,
    Employer,
    HoursKind,
    Institution,
    Intake,
    Language,
    Occupation,
    Programme,
    ProgrammeKind,
    ProgrammeMode,
    Sector,
    Skill,
    SkillType,
    TargetGroup,
    Town,
    Vacancy,
    WorkArrangement,
)
from careers.selectors import concepts_matching, employers_of
from careers.selectors.catalogue import skills_search
from careers.selectors.programmes import programmes_admitting, programmes_open_for_applications

MSG_ELIGIBLE_FOR_ME = _("eligible_for=me needs a signed-in candidate with a profile.")


class IntegerFilter(df.NumberFilter):
    field_class = forms.IntegerField

@extend_schema_field(OpenApiTypes.INT)
class TownIdFilter(df.ModelChoiceFilter):
    """A town id (the schema says integer; an unknown id is a 400)."""


MSG_NOT_BOOLEAN = _("Use true or false.")


class StrictBooleanField(forms.Field):
    """true/false/1/0 (any case) or absent; anything else is an error instead of being read as 'absent'."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(MSG_NOT_BOOLEAN, code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(df.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


MAX_SEARCH_LENGTH = 100
MAX_RADIUS_KM = 500
MAX_SALARY = 100_000
MSG_UNKNOWN_ORDERING = _("Unknown ordering field “%(field)s”. Allowed: %(allowed)s.")
MSG_NEAR_NEEDS_RADIUS = _("Give both near (a town id) and radius_km, or neither.")
MSG_EMPTY_RANGE = _("The start of the range is after its end.")


class StrictOrderingFilter(OrderingFilter):
    """DRF's OrderingFilter, but an unknown field is a 400 instead of being silently ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        allowed = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        fields = [param.strip() for param in params.split(",") if param.strip()]
        for field in fields:
            if field.lstrip("-") not in allowed:
                raise ValidationError(
                    {self.ordering_param: [MSG_UNKNOWN_ORDERING % {"field": field[:50], "allowed": ", ".join(allowed)}]}
                )
        return fields


def search_filter() -> df.CharFilter:
    return df.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH, help_text=_("Words to look for."))


class TextSearchMixin:
    """``?search=`` over ``search_fields``: every word must be contained in some field, ignoring case and
    diacritics ("metinatajs" finds "Metinātājs"; ``careers.folding``), the same on SQLite and PostgreSQL."""

    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        folded = {f"_folded_{n}": Fold(field) for n, field in enumerate(self.search_fields)}
        queryset = queryset.alias(**folded)
        for word in value.split():
            condition = Q()
            for alias in folded:
                condition |= Q(**{f"{alias}__contains": fold_text(word)})
            queryset = queryset.filter(condition)
        return queryset


class FoldedSearchMixin:
    """``?search=`` over the folded labels of skills or occupations: case- and diacritic-insensitive."""

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return concepts_matching(queryset, query=value)


class SkillFilter(df.FilterSet):
    search = df.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH, help_text=_(
        "What you type: ranked best first (exact label or synonym, then prefix, then every word, then close "
        "spellings), Latvian and English at once, inflections and diacritics optional; the 100 best matches."))
    skill_type = df.ChoiceFilter(choices=SkillType.choices)

    class Meta:
        model = Skill
        fields = ["search", "skill_type"]


    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return skills_search(query=value, queryset=queryset)


class OccupationFilter(FoldedSearchMixin, df.FilterSet):
    search = search_filter()
    isco_code = df.CharFilter(max_length=8, help_text=_("ISCO-08 code, exact."))

    class Meta:
        model = Occupation
        fields = ["search", "isco_code"]


class TownFilter(TextSearchMixin, df.FilterSet):
    search = search_filter()
    search_fields = ("name", "name_en")

    class Meta:
        model = Town
        fields = ["search"]


class InstitutionFilter(TextSearchMixin, df.FilterSet):
    search = search_filter()
    search_fields = ("name_lv", "name_en", "short_name")
    town = df.ModelChoiceFilter(queryset=Town.objects.all())
    kind = df.ChoiceFilter(choices=Institution.Kind.choices)

    class Meta:
        model = Institution
        fields = ["search", "town", "kind"]


class EmployerFilter(TextSearchMixin, df.FilterSet):
    search = search_filter()
    search_fields = ("name", "description")
    town = df.ModelChoiceFilter(queryset=Town.objects.all())
    sector = df.ChoiceFilter(choices=Sector.choices)

    class Meta:
        model = Employer
        fields = ["search", "town", "sector"]


class RangeForm(forms.Form):
    """Refuses a date range whose start is after its end (pairs listed in ``ranges``)."""

    ranges: tuple[tuple[str, str], ...] = ()

    def clean(self):
        data = super().clean()
        for start, end in self.ranges:
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, MSG_EMPTY_RANGE)
        return data


class ProgrammeForm(RangeForm):
    ranges = (("intake_start_after", "intake_start_before"),)


FUNDING_FIELDS = {
    "state_funded": "state_funded_places",
    "voucher": "voucher_eligible",
    "cofinanced": "adult_learning_cofinanced",
}


class ProgrammeFilter(TextSearchMixin, df.FilterSet):
    search = search_filter()
    search_fields = ("name_lv", "name_en", "institution__name_lv", "institution__name_en")
    institution = df.ModelChoiceFilter(queryset=Institution.objects.all())
    town = df.ModelChoiceFilter(field_name="institution__town", queryset=Town.objects.all())
    kind = df.ChoiceFilter(choices=ProgrammeKind.choices)
    eqf_level = df.ChoiceFilter(choices=[(n, str(n)) for n in range(1, 9)])
    language = df.ChoiceFilter(choices=Language.choices, method="filter_language", help_text=_("Language of instruction."))
    mode = df.ChoiceFilter(choices=ProgrammeMode.choices)
    funding = df.ChoiceFilter(
        choices=[("state_funded", _("state-funded places")), ("voucher", _("training voucher")), ("cofinanced", _("adult-learning co-financing"))],
        method="filter_funding",
    )
    skill = df.ModelChoiceFilter(field_name="skills_taught", to_field_name="uri", queryset=Skill.objects.all(), help_text=_("ESCO skill URI."))
    occupation = df.ModelChoiceFilter(field_name="leads_to", to_field_name="uri", queryset=Occupation.objects.all(), help_text=_("ESCO occupation URI."))
    intake_start_after = df.DateFilter(method="filter_noop", help_text=_("Has an intake starting on or after this date."))
    intake_start_before = df.DateFilter(method="filter_noop", help_text=_("Has an intake starting on or before this date."))
    eligible_for = df.ChoiceFilter(choices=[("me", "me")], method="filter_eligible_for", help_text=_(
        "`me`: only programmes whose entry rules admit the signed-in candidate (target group, age, prior education, "
        "language of instruction); 400 for anyone else."))
    age = IntegerFilter(method="filter_age", min_value=13, max_value=99,
                        help_text=_("Only programmes admitting someone of this age (13–99)."))
    group = df.ChoiceFilter(choices=TargetGroup.choices, method="filter_group", help_text=_(
        "Only programmes admitting this target group (or open to everyone)."))
    open_for_applications = StrictBooleanFilter(method="filter_open", help_text=_(
        "true: only programmes with an intake still taking applications (not started, deadline not passed)."))

    class Meta:
        model = Programme
        fields = ["search", "institution", "town", "kind", "eqf_level", "language", "mode", "funding", "skill", "occupation"]
        form = ProgrammeForm

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # languages is a JSON list of two-letter codes; matching the quoted code works on SQLite and PostgreSQL alike.
        return queryset.filter(languages__icontains=f'"{value}"')

    def filter_funding(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{FUNDING_FIELDS[value]: True})

    def filter_noop(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # both bounds are applied together in filter_queryset, to one and the same intake

    def filter_eligible_for(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        candidate = CandidateProfile.objects.filter(user_id=getattr(self.request.user, "pk", None)).first()
        if candidate is None:
            raise ValidationError({"eligible_for": [MSG_ELIGIBLE_FOR_ME]})
        return programmes_admitting(queryset, candidate=candidate)

    def filter_age(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return programmes_admitting(queryset, age=int(value))

    def filter_group(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return programmes_admitting(queryset, group=value)

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return programmes_open_for_applications(queryset) if value else queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        after, before = self.form.cleaned_data.get("intake_start_after"), self.form.cleaned_data.get("intake_start_before")
        if after or before:
            intakes = Intake.objects.filter(programme=OuterRef("pk"))
            if after:
                intakes = intakes.filter(start_date__gte=after)
            if before:
                intakes = intakes.filter(start_date__lte=before)
            queryset = queryset.filter(Exists(intakes))
        # skill / occupation join many-to-many tables: one row per programme.
        return queryset.distinct() if self.form.cleaned_data.get("skill") or self.form.cleaned_data.get("occupation") else queryset


class IntakeForm(RangeForm):
    ranges = (("start_after", "start_before"),)


class IntakeFilter(df.FilterSet):
    programme = df.ModelChoiceFilter(queryset=Programme.objects.all())
    institution = df.ModelChoiceFilter(field_name="programme__institution", queryset=Institution.objects.all())
    town = df.ModelChoiceFilter(field_name="programme__institution__town", queryset=Town.objects.all())
    start_after = df.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = df.DateFilter(field_name="start_date", lookup_expr="lte")
    upcoming = StrictBooleanFilter(method="filter_noop", help_text=_("Only intakes that have not started (default true)."))
    open_for_applications = StrictBooleanFilter(method="filter_open", help_text=_("Application deadline not passed."))

    class Meta:
        model = Intake
        fields = ["programme", "institution", "town", "start_after", "start_before", "upcoming", "open_for_applications"]
        form = IntakeForm

    def filter_noop(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        condition = Q(application_deadline__gte=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("upcoming") is not False:  # absent means upcoming only
            queryset = queryset.filter(start_date__gte=timezone.localdate())
        return queryset


class VacancyForm(forms.Form):
    def clean(self):
        data = super().clean()
        if (data.get("near") is None) != (data.get("radius_km") is None) and not self.errors:
            self.add_error("radius_km" if data.get("near") is not None else "near", MSG_NEAR_NEEDS_RADIUS)
        return data


class VacancyFilter(TextSearchMixin, df.FilterSet):
    search = search_filter()
    search_fields = ("title", "description", "employer__name")
    town = df.ModelChoiceFilter(queryset=Town.objects.all())
    near = TownIdFilter(queryset=Town.objects.all(), method="filter_noop", help_text=_("Town id: with radius_km, vacancies within that distance (road km where known)."))
    radius_km = df.NumberFilter(method="filter_noop", min_value=0, max_value=MAX_RADIUS_KM)
    employer = df.ModelChoiceFilter(queryset=Employer.objects.filter(verified=True))
    occupation = df.ModelChoiceFilter(to_field_name="uri", queryset=Occupation.objects.all(), help_text=_("ESCO occupation URI."))
    skill = df.ModelChoiceFilter(field_name="skills", to_field_name="uri", queryset=Skill.objects.all(), help_text=_("ESCO skill URI."))
    contract_kind = df.ChoiceFilter(choices=ContractKind.choices)
    hours = df.ChoiceFilter(choices=HoursKind.choices)
    work_arrangement = df.ChoiceFilter(choices=WorkArrangement.choices)
    min_salary = df.NumberFilter(field_name="salary_max", lookup_expr="gte", min_value=0, max_value=MAX_SALARY, help_text=_("Pays at least this much (EUR per month, gross) at the top of its range."))
    language = df.ChoiceFilter(choices=Language.choices, field_name="languages__language", help_text=_("Requires this language."))
    status = df.ChoiceFilter(choices=Vacancy.Status.choices, help_text=_("Only useful to employers and staff: others see open vacancies only."))
    mine = StrictBooleanFilter(method="filter_mine", help_text=_("Only the vacancies of my own employers."))

    class Meta:
        model = Vacancy
        fields = ["search", "town", "near", "radius_km", "employer", "occupation", "skill", "contract_kind", "hours",
                  "work_arrangement", "min_salary", "language", "status", "mine"]
        form = VacancyForm

    def filter_noop(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        own = Q(employer__in=employers_of(self.request.user))
        return queryset.filter(own) if value else queryset.exclude(own)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        near, radius = self.form.cleaned_data.get("near"), self.form.cleaned_data.get("radius_km")
        if near is not None and radius is not None:
            queryset = queryset.filter(town_id__in=geo.town_ids_within(town=near, radius_km=float(radius)))
        return queryset.distinct() if self.form.cleaned_data.get("skill") or self.form.cleaned_data.get("language") else queryset


class CandidateFilter(TextSearchMixin, df.FilterSet):
    search = search_filter()
    # Names are shown to everyone who may list a candidate (employers list only their applicants).
    search_fields = ("user__first_name", "user__last_name", "town__name", "town__name_en")
    skill = df.ModelChoiceFilter(field_name="skill_links__skill", to_field_name="uri", queryset=Skill.objects.all(), help_text=_("ESCO skill URI."))
    town = df.ModelChoiceFilter(queryset=Town.objects.all())
    language = df.ChoiceFilter(choices=Language.choices, field_name="languages__language")
    min_education = df.ChoiceFilter(choices=EducationLevel.choices, method="filter_min_education")
    kind = df.ChoiceFilter(choices=CandidateProfile.Kind.choices)
    available_by = df.DateFilter(method="filter_available_by", help_text=_("Available on or before this date."))

    class Meta:
        model = CandidateProfile
        fields = ["search", "skill", "town", "language", "min_education", "kind", "available_by"]

    def filter_min_education(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(highest_education__gte=int(value))

    def filter_available_by(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=value))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return queryset.distinct() if self.form.cleaned_data.get("skill") or self.form.cleaned_data.get("language") else queryset


class ApplicationFilter(df.FilterSet):
    status = df.ChoiceFilter(choices=Application.Status.choices)
    vacancy = df.NumberFilter(field_name="vacancy_id", min_value=1, max_value=2**63 - 1)
    intake = df.NumberFilter(field_name="intake_id", min_value=1, max_value=2**63 - 1)
    target = df.ChoiceFilter(choices=[("vacancy", _("vacancy")), ("intake", _("intake"))], method="filter_target")

    class Meta:
        model = Application
        fields = ["status", "vacancy", "intake", "target"]

    def filter_target(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{value}__isnull": False})
