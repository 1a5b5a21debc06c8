"""Settings, read from the environment (see .env.example)."""
from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines of a local .env (written by `make run`); the real environment wins."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


load_env_file(BASE_DIR / ".env")

DEV_SECRET_KEY = "dev-only-insecure-" + "x" * 40  # >= 32 bytes so HS256 JWTs are accepted


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is the development key while DEBUG is off. "
        "Set DJANGO_SECRET_KEY to a long random value, or DJANGO_DEBUG=1 for development."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "axes",
    "careers",
    "api",
    "django_htmx",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here: /api/docs/ works without internet
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "web.middleware.SiteLanguageMiddleware",  # the site is Latvian until the visitor picks English
    # After LocaleMiddleware (translated messages), before CommonMiddleware (no slash-redirects under /api/).
    "api.middleware.ApiErrorMiddleware",
    "api.middleware.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out admin sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        # WAL: readers never wait for the writer. synchronous=NORMAL: in WAL mode a commit no longer waits for a disk
        # flush (still crash-safe for the file; the last commits may be lost on power failure: PostgreSQL is the
        # production database). secure_delete: erased rows are overwritten with zeros, not left in free space
        # (personal-data erasure, careers.services.accounts).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
        # Every transaction takes the write lock at BEGIN: a deferred one that reads then writes cannot be upgraded
        # while another writer holds the lock and fails at once with "database is locked" (no busy wait).
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for another's lock before giving up.
        "timeout": int(os.environ.get("DJANGO_SQLITE_TIMEOUT", "20")),
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "careers.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Request bodies over 1 MB are refused (413) by api.middleware.BodySizeLimitMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Spreadsheet uploads (/api/v1/imports/) may be larger: 5 MB (careers.spreadsheets.reading.MAX_BYTES).
SPREADSHEET_UPLOAD_PREFIX = "/api/v1/imports/"
SPREADSHEET_UPLOAD_MAX_BYTES = 5 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None

# "throttle" holds every rate-limit counter and must be shared by all server processes (else each gunicorn worker
# keeps its own and every limit is multiplied by the number of workers): Redis when REDIS_URL is set, otherwise a
# table in the database (created by `migrate`, careers/migrations/0005_throttle_cache.py, and `createcachetable`).
THROTTLE_CACHE_TABLE = "careers_throttle_cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "careers"},
    "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": THROTTLE_CACHE_TABLE,
                 "OPTIONS": {"MAX_ENTRIES": 100_000}},
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    CACHES["throttle"] = CACHES["default"]

# Celery (config/celery.py): Redis carries the daily schedule's tasks; results are kept an hour.
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Admin (and API) sign-in lockout, django-axes: failures are counted per username AND client address, so an
# attacker guessing from one address locks only that address out of that account, never the real user elsewhere.
AUTHENTICATION_BACKENDS = [
    "careers.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "careers.auth_backends.client_address"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # keep failed attempts only (the lockout needs them), not a log of every sign-in

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.RevocableJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # drf-spectacular's AutoSchema plus the error envelope on every operation.
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # Client address for throttles: REMOTE_ADDR, unless behind that many trusted proxies (X-Forwarded-For is
    # client-controlled, so trusting it by default would let anyone dodge the per-address sign-in throttle).
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    # JSON bodies only (415 otherwise), through a parser that answers 400 (not 500) to deeply nested bodies and
    # lone surrogates. Form encodings cannot say null or nest, so the schema's nullable and nested fields could not
    # mean the same in them (schemathesis found both).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Every view is throttled per client address (anonymous) or per user unless it sets its own throttles
    # (sign-in, registration and applying have stricter scopes below).
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.WindowedAnonThrottle",
        "api.throttles.WindowedUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "600/hour"),
        "user": os.environ.get("THROTTLE_USER", "6000/hour"),
        "login_ip": os.environ.get("THROTTLE_LOGIN_IP", "30/min"),
        "login_username": os.environ.get("THROTTLE_LOGIN_USERNAME", "10/min"),
        "register": os.environ.get("THROTTLE_REGISTER", "10/hour"),
        "applications": os.environ.get("THROTTLE_APPLICATIONS", "30/hour"),
    },
}

if not DEBUG:
    # JSON only in production; the browsable API (HTML forms) stays for development (DJANGO_DEBUG=1).
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "NextGen Microcities careers API",
    "DESCRIPTION": (
        "Matches young people and reskilling candidates in Valmiera and Ventspils with local jobs "
        "and with the programmes of local schools and universities. Skills and occupations use ESCO."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several fields: one named enum each (spectacular would otherwise guess names).
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "careers.models.choices.Language",
        "EducationLevelEnum": "careers.models.choices.EducationLevel",
        "ProgrammeKindEnum": "careers.models.choices.ProgrammeKind",
        "InstitutionKindEnum": "careers.models.education.Institution.Kind",
        "CandidateKindEnum": "careers.models.people.CandidateProfile.Kind",
        "HoursKindEnum": "careers.models.choices.HoursKind",
        "RecommendationKindEnum": "careers.models.oversight.RecommendationKind",
        "DecisionEnum": "careers.models.oversight.Review.Decision",  # reviews and every list item's `review`
        "PathListReasonEnum": "careers.results.PATH_REASONS",  # programmes, careers, pathways `reason`
        "ReviewReasonEnum": "careers.models.oversight.Review.Reason",  # a rejection's reason
        "CefrLevelEnum": "careers.models.choices.CefrLevel",  # 1–6: profiles, vacancies, language courses
        "CefrNameEnum": "api.serializers.paths.CEFR_NAME_CHOICES",  # "A1" … "C2": what-if with a language level
    },
}

# The web site (web/): static files from the installed packages through WhiteNoise (no collectstatic step needed;
# DJANGO_STATIC_FINDERS=0 after `collectstatic` serves STATIC_ROOT only), sessions for sign-in, the language choice
# kept for a year.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("DJANGO_STATIC_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG
LOGIN_URL = "web:signin"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
SPECTACULAR_SETTINGS.update({
    "SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR",
})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Where the official ESCO / O*NET / Latvian classifier files live (tests and quickstart read it).
ESCO_DIR = os.environ.get("ESCO_DIR", "")

# WhiteNoise warns when STATIC_ROOT does not exist yet; with the finders on (above) there is nothing to collect.
warnings.filterwarnings("ignore", message="No directory at")
