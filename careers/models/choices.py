"""Enumerations shared by the models, the API and the demo data."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    EMPLOYER = "employer", _("employer member")
    PROVIDER = "provider", _("provider staff")
    COUNSELLOR = "counsellor", _("career counsellor")
    ANALYST = "analyst", _("municipality analyst")
    ADMIN = "admin", _("administrator")


class SkillType(models.TextChoices):
    SKILL = "skill", _("skill / competence")
    KNOWLEDGE = "knowledge", _("knowledge")
    LANGUAGE = "language", _("language")
    TRANSVERSAL = "transversal", _("transversal")


class RelationType(models.TextChoices):
    ESSENTIAL = "essential", _("essential")
    OPTIONAL = "optional", _("optional")


class EducationLevel(models.IntegerChoices):
    """Ordered, so that 'at least secondary' is a comparison."""

    NONE = 0, _("no formal education")
    BASIC = 1, _("basic education (grade 9)")
    SECONDARY = 2, _("general or vocational secondary")
    SHORT_CYCLE = 3, _("college (short-cycle higher)")
    BACHELOR = 4, _("bachelor")
    MASTER = 5, _("master")
    DOCTORATE = 6, _("doctorate")


class Language(models.TextChoices):
    LATVIAN = "lv", _("Latvian")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    GERMAN = "de", _("German")
    LITHUANIAN = "lt", _("Lithuanian")
    ESTONIAN = "et", _("Estonian")
    FRENCH = "fr", _("French")
    SWEDISH = "sv", _("Swedish")
    NORWEGIAN = "no", _("Norwegian")
    UKRAINIAN = "uk", _("Ukrainian")


class CefrLevel(models.IntegerChoices):
    """CEFR levels as numbers so that 'B1 or better' is a comparison."""

    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, "B2"
    C1 = 5, "C1"
    C2 = 6, "C2"


class ProgrammeKind(models.TextChoices):
    VOCATIONAL_SECONDARY = "vocational_secondary", _("vocational secondary")
    VOCATIONAL_FURTHER = "vocational_further", _("vocational further education")
    CONTINUING_COURSE = "continuing_course", _("continuing-education course")
    COLLEGE = "college", _("college (short-cycle higher)")
    PROFESSIONAL_BACHELOR = "professional_bachelor", _("professional bachelor")
    BACHELOR = "bachelor", _("bachelor")
    MASTER = "master", _("master")
    DOCTORAL = "doctoral", _("doctoral")


class ProgrammeMode(models.TextChoices):
    FULL_TIME = "full_time", _("full-time")
    PART_TIME = "part_time", _("part-time")
    EVENING = "evening", _("evening")
    ONLINE = "online", _("online")
    DUAL = "dual", _("dual / work-based")


class FundingKind(models.TextChoices):
    """Who pays for a programme (the rules are matching.paths.funding's; the values are the same, a test checks)."""

    TRAINING_VOUCHER = "training_voucher", _("training voucher (State Employment Agency)")
    STATE_FUNDED_PLACE = "state_funded_place", _("state-funded place")
    ADULT_LEARNING_COFINANCING = "adult_learning_cofinancing", _("adult-learning co-financing")
    NONE = "none", _("no funding")


class Sector(models.TextChoices):
    GLASS_FIBRE = "glass_fibre", _("glass fibre and composites")
    METAL = "metal", _("metalworking and mechanical engineering")
    WOOD = "wood", _("wood and furniture")
    FOOD = "food", _("food and drink processing")
    ELECTRONICS = "electronics", _("electronics and ICT hardware")
    IT = "it", _("information technology")
    LOGISTICS = "logistics", _("logistics, transport and ports")
    TOURISM = "tourism", _("tourism and hospitality")
    HEALTH = "health", _("health and social care")
    CONSTRUCTION = "construction", _("construction")
    BUSINESS = "business", _("business and public services")
    EDUCATION = "education", _("education and research")
    ENERGY = "energy", _("energy and utilities")
    RETAIL = "retail", _("retail and trade")


class WorkArrangement(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    HYBRID = "hybrid", _("hybrid")
    REMOTE = "remote", _("remote")


class ContractKind(models.TextChoices):
    PERMANENT = "permanent", _("permanent")
    FIXED_TERM = "fixed_term", _("fixed-term")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    INTERNSHIP = "internship", _("internship")
    SUMMER_JOB = "summer_job", _("summer job")


class HoursKind(models.TextChoices):
    FULL_TIME = "full_time", _("full-time")
    PART_TIME = "part_time", _("part-time")
    SHIFTS = "shifts", _("shifts")
