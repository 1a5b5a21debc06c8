"""Domain model of the careers service (see each module)."""
from .choices import (
    CefrLevel,
    ContractKind,
    EducationLevel,
    FundingKind,
    HoursKind,
    Language,
    ProgrammeKind,
    ProgrammeMode,
    RelationType,
    Role,
    Sector,
    SkillType,
    WorkArrangement,
)
from .education import Institution, Intake, Programme, TargetGroup
from .jobs import Employer, Vacancy, VacancyLanguage, VacancySkill
from .people import (
    Application,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Counsellor,
    ProviderStaff,
    User,
    WorkExperience,
)
from .market import MarketArea, MarketSnapshot, MarketSnapshotRow
from .oversight import (
    FeedbackEvent, RecommendationItem, RecommendationKind, RecommendationList, Review, ReviewLog,
)
from .places import Town, TownDistance
from .ranking import HAND_WEIGHTED, RankerActivation, RankerVersion
from .taxonomy import Occupation, OccupationSkill, Skill
from .tokens import RevokedAccessToken

__all__ = [
    "Application", "CandidateLanguage", "CandidateProfile", "CandidateSkill", "CefrLevel", "ContractKind",
    "Counsellor", "EducationLevel", "Employer", "HoursKind", "Institution", "Intake", "Language", "Occupation",
    "OccupationSkill", "Programme", "ProgrammeKind", "ProgrammeMode", "ProviderStaff", "RelationType", "Role",
    "Sector", "Skill", "SkillType", "TargetGroup", "Town", "TownDistance", "User", "Vacancy", "VacancyLanguage", "VacancySkill",
    "WorkArrangement", "WorkExperience",
    "FeedbackEvent", "RecommendationItem", "RecommendationKind", "RecommendationList", "Review", "ReviewLog",
    "HAND_WEIGHTED", "RankerActivation", "RankerVersion", "RevokedAccessToken",
    "MarketArea", "MarketSnapshot", "MarketSnapshotRow",
]
