"""Qamqor settings: everything that differs between machines comes from the environment."""

import os
import zoneinfo
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Kazakhstan moved Almaty from UTC+6 to UTC+5 on 1 March 2024; an old system zoneinfo
# database would put every deadline an hour off. Read time zones from the pinned `tzdata`
# package only, whatever the operating system ships.
zoneinfo.reset_tzpath(to=())
zoneinfo.ZoneInfo.clear_cache()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-qamqor-key-never-use-in-production"  # noqa: S105
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off Qamqor refuses to start on the development key: "
        "set SECRET_KEY to a long random value (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "casework",
    "children",
    "families",
    "referrals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casework.middleware.OTPMiddleware",
    "casework.middleware.UserLanguageMiddleware",
    "casework.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casework.middleware.IdleTimeoutMiddleware",
    "casework.middleware.TwoFactorMiddleware",
    "casework.middleware.FormDraftMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"
ASGI_APPLICATION = "casework.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "casework.context_processors.navigation",
            ],
        },
    },
]

# Real PostgreSQL everywhere: the local server by default, another one via DATABASE_URL.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qamqor"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Name search: how alike two spellings must be (pg_trgm word similarity) to meet.
# "Жанболатова" and "Жанбулатова" score 0.54; the extension's default of 0.6 misses them.
# Long lists count their rows up to this many, then say "more than" (casework.pagination).
LIST_COUNT_LIMIT = int(os.environ.get("LIST_COUNT_LIMIT", "1000"))
NAME_SIMILARITY_THRESHOLD = float(os.environ.get("NAME_SIMILARITY_THRESHOLD", "0.5"))
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c pg_trgm.word_similarity_threshold={NAME_SIMILARITY_THRESHOLD}"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

AUTH_USER_MODEL = "casework.User"
AUTHENTICATION_BACKENDS = [
    # First: django-axes refuses a locked-out username and IP before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading each request's user with their scope (one query).
    "casework.auth_backends.UserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in security (issue #7). Lockout: 5 failures of one username from one IP address
# lock that pair out for 15 minutes; a successful sign-in clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.account_views.locked_out"
AXES_CLIENT_IP_CALLABLE = "casework.request_info.client_ip"
AXES_VERBOSE = False
# Two-factor sign-in (TOTP, django-otp): mandatory for these roles, optional for everyone
# else (each user may turn it on), mandatory for all with TWO_FACTOR_REQUIRED_FOR_ALL.
TWO_FACTOR_ROLES = frozenset(
    env_list(
        "TWO_FACTOR_ROLES",
        "guardianship_head,fsc_head,kdn_member,kdn_secretary,administrator",
    )
)
TWO_FACTOR_REQUIRED_FOR_ALL = env_bool("TWO_FACTOR_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = "Qamqor"
# Idle sign-out: after this many seconds without a request or typing, with a warning
# this many seconds before; what was typed in a long form is kept as a draft.
IDLE_TIMEOUT_SECONDS = int(os.environ.get("IDLE_TIMEOUT_SECONDS", "1800"))
IDLE_WARNING_SECONDS = int(os.environ.get("IDLE_WARNING_SECONDS", "120"))
FORM_DRAFT_DAYS = int(os.environ.get("FORM_DRAFT_DAYS", "7"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors see nothing

# Languages: Russian by default, Kazakh and English alongside.
LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True
FORMAT_MODULE_PATH = ["casework.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# Where users reach the app: links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Qamqor <noreply@qamqor.localhost>")

# Security. Production runs behind nginx terminating TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content security policy: scripts, styles, images and fonts from the app itself only
# (htmx and Swagger UI are served locally); no inline scripts, no framing, forms post
# only to the app. Inline SVG charts need no exception; QR codes are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust none).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "casework.api.exception_handler",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Qamqor API",
    "DESCRIPTION": "Referrals from schools, clinics, NGOs and police units. "
    "Authenticate with `Authorization: Token <key>` issued by the administrator.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get components of their own, so that a required text field is described
    # as non-blank (minLength 1), as the API really checks it.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served by the app itself: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Audit: pghistory event rows can never be updated or deleted (database triggers).
PGHISTORY_APPEND_ONLY = True
# Who and where is attached to the changes of requests that change things. Pages (GET)
# change no tracked data, so they skip the per-request context statement (one query on
# every page); what they read goes to AuditRead.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Celery over Redis. Deadlines are enforced by periodic sweeps over stored columns,
# so a lost message delays work by one sweep at most and never loses it.
CELERY_BROKER_URL = REDIS_URL
# One queue per deployment (tests give each process its own).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "qamqor")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A Redis that is down or hangs must not hold up the request that enqueues a task: a
# publish waits about a second for a connection and two for a reply, and is not retried
# (the row it is about is stored; the periodic sweeps do what the message would have).
# Without these a hung Redis held a publish, and the user's request, forever, and a
# stopped one cost 0.6 s of retries per message.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("BROKER_CONNECT_TIMEOUT", "1"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": float(os.environ.get("BROKER_SOCKET_TIMEOUT", "2")),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE

# Working-day calendar: statutory deadlines end at the close of a working day.
WORKDAY_STARTS_AT = time.fromisoformat(os.environ.get("WORKDAY_STARTS_AT", "09:00"))
WORKDAY_ENDS_AT = time.fromisoformat(os.environ.get("WORKDAY_ENDS_AT", "18:30"))
# Police notice -> FSC: remind this many working hours before the deadline.
TRANSFER_REMINDER_WORKING_HOURS = float(os.environ.get("TRANSFER_REMINDER_WORKING_HOURS", "3"))
# A transferred referral not picked up within this many working days goes to the FSC head.
PICKUP_ESCALATION_WORKING_DAYS = int(os.environ.get("PICKUP_ESCALATION_WORKING_DAYS", "1"))
# FSC primary assessment: working days after pickup (fewer when life or health is threatened).
ASSESSMENT_WORKING_DAYS = int(os.environ.get("ASSESSMENT_WORKING_DAYS", "3"))
ASSESSMENT_URGENT_WORKING_DAYS = int(os.environ.get("ASSESSMENT_URGENT_WORKING_DAYS", "1"))
# The guardianship authority hears of an FSC case's key events within this many hours.
GUARDIANSHIP_NOTICE_HOURS = int(os.environ.get("GUARDIANSHIP_NOTICE_HOURS", "24"))
# KDN members read the files on an agenda from its publication until this many days
# after the meeting (to check the minutes), and never again.
KDN_REVIEW_DAYS_AFTER_MEETING = int(os.environ.get("KDN_REVIEW_DAYS_AFTER_MEETING", "3"))
# The staffing norm of guardianship authorities: one specialist per this many children.
CHILDREN_PER_GUARDIANSHIP_SPECIALIST = int(
    os.environ.get("CHILDREN_PER_GUARDIANSHIP_SPECIALIST", "5000")
)

# Audit: tell the heads when someone opens more than this many distinct files in an hour.
AUDIT_READS_PER_HOUR_ALERT = int(os.environ.get("AUDIT_READS_PER_HOUR_ALERT", "50"))

# Logs go to standard output, one JSON object a line (LOG_FORMAT=json, the default
# without DEBUG) for the log collector, or plain text for a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # PDF rendering narrates every step at INFO; only its problems belong in the log.
    # django-axes tells every successful sign-in at INFO; failures and lockouts are WARNING.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "axes")},
}
