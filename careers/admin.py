"""Admin for every model: search and filters where staff need them."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import models as m


@admin.register(m.User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = BaseUserAdmin.fieldsets + (("Role", {"fields": ("role", "preferred_language")}),)


class OccupationSkillInline(admin.TabularInline):
    model = m.OccupationSkill
    autocomplete_fields = ("skill",)
    extra = 0


@admin.register(m.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("label_en", "label_lv", "skill_type", "reuse_level", "uri")
    list_filter = ("skill_type", "reuse_level")
    search_fields = ("label_en", "label_lv", "search_text", "uri")
    autocomplete_fields = ("broader", "related")


@admin.register(m.Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("label_en", "label_lv", "isco_code", "lv_classifier_code", "uri")
    list_filter = ("isco_code",)
    search_fields = ("label_en", "label_lv", "search_text", "uri", "isco_code", "lv_classifier_code")
    inlines = [OccupationSkillInline]


@admin.register(m.Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "latitude", "longitude")
    search_fields = ("name", "name_en")


@admin.register(m.TownDistance)
class TownDistanceAdmin(admin.ModelAdmin):
    list_display = ("from_town", "to_town", "road_km", "is_estimate")
    list_filter = ("is_estimate", "from_town")
    search_fields = ("from_town__name", "to_town__name")


@admin.register(m.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name_lv", "name_en", "kind", "town")
    list_filter = ("kind", "town")
    search_fields = ("name_lv", "name_en", "short_name")


class IntakeInline(admin.TabularInline):
    model = m.Intake
    extra = 0


@admin.register(m.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name_lv", "institution", "kind", "eqf_level", "mode", "cost_eur", "is_demo")
    list_filter = ("kind", "eqf_level", "mode", "institution__town", "voucher_eligible", "state_funded_places", "is_demo")
    search_fields = ("name_lv", "name_en", "institution__name_lv")
    autocomplete_fields = ("skills_taught", "leads_to")
    inlines = [IntakeInline]


@admin.register(m.Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ("programme", "start_date", "application_deadline", "seats", "funded_seats")
    list_filter = ("programme__institution",)
    search_fields = ("programme__name_lv", "programme__name_en")
    date_hierarchy = "start_date"


@admin.register(m.Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "sector", "verified")
    list_filter = ("verified", "sector", "town")
    search_fields = ("name", "registration_number")
    filter_horizontal = ("members",)


class VacancySkillInline(admin.TabularInline):
    model = m.VacancySkill
    autocomplete_fields = ("skill",)
    extra = 0


class VacancyLanguageInline(admin.TabularInline):
    model = m.VacancyLanguage
    extra = 0


@admin.register(m.Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ("title", "employer", "town", "contract_kind", "hours", "salary_min", "salary_max", "status", "expires_at")
    list_filter = ("status", "contract_kind", "hours", "work_arrangement", "town", "employer__sector")
    search_fields = ("title", "description", "employer__name")
    autocomplete_fields = ("occupation", "employer")
    inlines = [VacancySkillInline, VacancyLanguageInline]
    date_hierarchy = "published_at"


class CandidateSkillInline(admin.TabularInline):
    model = m.CandidateSkill
    autocomplete_fields = ("skill",)
    extra = 0


class CandidateLanguageInline(admin.TabularInline):
    model = m.CandidateLanguage
    extra = 0


class WorkExperienceInline(admin.TabularInline):
    model = m.WorkExperience
    autocomplete_fields = ("occupation",)
    extra = 0


@admin.register(m.CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "employment_status", "birth_year", "town", "counsellor", "consent_discoverable")
    list_filter = ("kind", "employment_status", "town", "supervised", "consent_discoverable", "highest_education")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("target_occupations",)
    inlines = [CandidateSkillInline, CandidateLanguageInline, WorkExperienceInline]


@admin.register(m.Counsellor)
class CounsellorAdmin(admin.ModelAdmin):
    list_display = ("user", "works_for", "institution", "town")
    list_filter = ("works_for", "town")
    search_fields = ("user__username", "user__first_name", "user__last_name")


@admin.register(m.ProviderStaff)
class ProviderStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "institution")
    list_filter = ("institution",)
    search_fields = ("user__username", "institution__name_lv")


@admin.register(m.Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "vacancy", "intake", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("candidate__user__username", "vacancy__title", "intake__programme__name_lv")


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rankers change only through `train_ranker` / `rollback_ranker`, which log every activation."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.RankerVersion)
class RankerVersionAdmin(ViewOnlyAdmin):
    list_display = ("label", "created_at", "ndcg", "baseline_label", "baseline_ndcg", "promoted", "is_active",
                    "activated_by")
    list_filter = ("is_active", "promoted")
    search_fields = ("label",)
    exclude = ("blob",)
    readonly_fields = ("blob_size",)

    @admin.display(description="model bytes")
    def blob_size(self, obj) -> str:
        return f"{len(bytes(obj.blob or b''))} bytes, sha256 {obj.metadata.get('sha256', '')}"


@admin.register(m.RankerActivation)
class RankerActivationAdmin(ViewOnlyAdmin):
    list_display = ("created_at", "action", "version", "previous_label", "actor", "note")
    list_filter = ("action",)
