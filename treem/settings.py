"""Treem settings, read from environment variables (see .env.example for every one of them).

SQLite is used when DATABASE_URL is unset, so `make run` needs no configuration; production sets
DATABASE_URL to PostgreSQL and TREEM_ENV=production.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from treem.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

TREEM_ENV = env_choice("TREEM_ENV", "development", ("development", "test", "production"))
PRODUCTION = TREEM_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when TREEM_ENV=production.")
    # A fixed key for development and tests only; production refuses to start without its own.
    SECRET_KEY = "treem-development-only-key-not-for-production-use-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "treem.core",
    "treem.geo",
    "treem.accounts",
    "treem.audit",
    "treem.registry",
    "treem.protection",
    "treem.assistance",
    "treem.programmes",
    "treem.people",
    "treem.indicators",
    "treem.portal",
    # The top of the layers (dashboard, demo data, error pages): it may import every app above.
    "treem.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "treem.core.middleware.RequestLogMiddleware",
    # Cached article pages for anonymous readers, before sessions, CSRF and authentication.
    "treem.portal.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "treem.core.middleware.SlidingSessionMiddleware",
    "treem.core.middleware.LanguageMiddleware",
    "treem.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "treem.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "treem.urls"
# A refused form gets Treem's own page (and the API its JSON error), not Django's debug text.
CSRF_FAILURE_VIEW = "treem.site.errors.csrf_failure"
WSGI_APPLICATION = "treem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "treem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "treem.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
        )
    }
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "treem.sqlite3")))
    # A fresh clone has no var/ yet; any manage.py command (even `makemigrations --check`, which
    # opens the database) must work from the first minute.
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            # Kept open between requests, as on PostgreSQL: opening a connection re-reads the
            # schema, and closing the last one checkpoints the WAL to disk, tens of ms each time
            # (measured on the portal's rating POST: 48 ms a vote with a connection per request).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of one
                # failing half-way with "database is locked"; WAL lets readers run beside a writer.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out after repeated failures (django-axes): by username and address together, so one
# attacker cannot lock every account of a commune office that shares one public address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "treem.accounts.views.lockout_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# Sliding session expiry: a session idle for SESSION_IDLE_MINUTES ends, and it always ends when the
# browser closes. The expiry is pushed forward at most once a minute (SlidingSessionMiddleware),
# not on every request: a page that only reads writes nothing to the database.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# TOTP two-factor authentication is mandatory for system administrators (STYLE: data, not code,
# decides who else must use it: any user may enrol).
TREEM_REQUIRE_ADMIN_2FA = env_bool("REQUIRE_ADMIN_2FA", default=True)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Treem")

# --- Internationalisation -------------------------------------------------------------------------
# Source strings are written in Vietnamese, the default language; English comes from the catalogues
# in each app's locale/en.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "treem" / "locale"]
# Completes Django's Vietnamese formats: thousands grouped by `intcomma` and floatformat "g".
FORMAT_MODULE_PATH = ["treem.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "treem" / "static"]
# Uploaded files (case attachments, article images) live outside the static root; private ones are
# only served through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Development serves static files straight from the app folders; production from collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------------
# Django 6.1 configures mail through MAILERS (the EMAIL_* settings are deprecated).
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_EMAIL_OPTIONS: dict = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "timeout": 20,
    }
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    _EMAIL_OPTIONS = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Treem <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address staff open Treem at, e.g. https://treem.dongnai.gov.vn: put before the links in
# alert e-mails sent by the background worker (which has no request to take it from).
TREEM_SITE_URL = env_str("TREEM_SITE_URL", "")

# --- Registry imports --------------------------------------------------------------------------
# Largest list accepted in one upload, in bytes and in data rows; larger files are refused before
# they are parsed (a 300 KB .xlsx can hold a million rows).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000, minimum=1)
# A checked list is written in parts of this many rows, each part its own transaction (a commit
# interrupted by an error resumes after the last part written) ...
IMPORT_PART_ROWS = env_int("IMPORT_PART_ROWS", 2000, minimum=1)

# --- Background tasks (Django's tasks framework) -----------------------------------------------
# "database" queues tasks for `manage.py db_worker`; "immediate" runs them inline (demo, tests).
_TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", ("database", "immediate"))
# ... and after each part the background worker pauses for this percentage of the part's own
# time, leaving the CPU to the web pages (the database server's work, which the worker's low
# priority does not reach): 100 halves the import's share. Inline tasks (demo, tests) do not pause.
IMPORT_PAUSE_PERCENT = env_int(
    "IMPORT_PAUSE_PERCENT", 100 if _TASKS_BACKEND == "database" else 0, minimum=0
)
# A file being read, checked or written that has not moved on for this many minutes lost its worker
# (stopped, restarted): its page offers to go on (parts already written are not written again).
IMPORT_STALL_MINUTES = env_int("IMPORT_STALL_MINUTES", 15, minimum=1)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if _TASKS_BACKEND == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Network --------------------------------------------------------------------------------------
# Addresses of reverse proxies whose X-Forwarded-For we believe. A client's own header is never
# trusted: the address is taken from the socket unless the socket peer is one of these proxies.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "treem.accounts.authentication.SecondFactorTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "treem.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Treem API",
    "DESCRIPTION": "Child care, education and protection information system.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "treem.core.api.add_error_responses",
    ],
    # Swagger UI is vendored from npm (scripts/vendor.sh), never loaded from a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    # Several apps have a "status": each choice set gets a name of its own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "treem.programmes.models.TaskStatus",
    },
}

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain (often a shared .gov.vn one) to HTTPS for years; it is
        # the operator's decision, taken with SECURE_HSTS_PRELOAD=true, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Logging --------------------------------------------------------------------------------------
# One JSON object per line. Request logs carry the path without its query string (a search query
# can be a child's name) and the user's numeric id, never a name.
LOG_LEVEL = env_choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "filters": {"drop_request": {"()": "treem.core.logging.DropRequestFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["drop_request"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own request logger repeats the full URL, query string included: silence it in
        # favour of treem.request.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if not env_str("CACHE_URL")
        else "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL", "treem"),
        # Several installations (or benchmarks) may share one Redis server.
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", ""),
    }
}

# --- Treem ----------------------------------------------------------------------------------------
# The public concern form: at most this many concerns per network address in the window become
# reports at once; the excess waits for an officer's review (kept, never dropped).
PORTAL_CONCERN_MAX_PER_ADDRESS = env_int("PORTAL_CONCERN_MAX_PER_ADDRESS", 3, minimum=1)
PORTAL_CONCERN_WINDOW_MINUTES = env_int("PORTAL_CONCERN_WINDOW_MINUTES", 60, minimum=1)
# How long a concern form stays valid after it is shown (its signed token is good for one use).
PORTAL_CONCERN_FORM_MAX_AGE_HOURS = env_int("PORTAL_CONCERN_FORM_MAX_AGE_HOURS", 24, minimum=1)
# The province this installation serves (GSO code of the July-2025 map); demo: Đồng Nai (75).
TREEM_PROVINCE_CODE = env_str("PROVINCE_CODE", "75")
