"""Settings for the newsroom fact annotation app, read from the environment.

DATABASE_URL  unset: a SQLite file in the project folder; e.g. postgres://user@host:5432/newsroom
SECRET_KEY    required unless DEBUG is on
DEBUG         "1"/"true" for development
ALLOWED_HOSTS comma-separated host names
(the README lists the others)
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, on a site that guards every model admin against hostile input.
    "annotations.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language chosen with the header's switch (remembered per person), else German: not the browser's.
    "annotations.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ... and a role to read anything (annotations.models.can_read), unless it is the admin or needs no login.
    "annotations.middleware.ReadRuleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy: one strict policy for every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # A NUL in the address is refused with 400 (inside the policy, so the page carries it too).
    "annotations.middleware.RefuseNulMiddleware",
    # Login throttling (django-axes): turns a locked-out login into the page saying when to try again.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "annotations.context_processors.read_rule",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# PostgreSQL connections are kept open between requests (CONN_MAX_AGE) and checked
# before reuse, so a restarted database does not break the next request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# SQLite (development): a transaction takes the write lock when it begins, so two requests
# changing the same claim wait for each other instead of failing with "database is locked";
# tests use a file too, because an in-memory database shares one cache whose table locks never wait.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(BASE_DIR / "test-db.sqlite3"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for every new or changed password; the others only read older hashes, which Django
# rewrites as Argon2 the next time their owner logs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: after NEWSROOM_LOGIN_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked for NEWSROOM_LOGIN_COOLOFF_MINUTES. Attempts during the lock are not
# counted, so the time the page names stays true; a successful login clears the count. Admins see
# (and delete, to unlock) the lock-outs under "Axes" in the back office, or run `manage.py axes_reset`.
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "annotations.views.accounts.locked_out"
AXES_USERNAME_CALLABLE = "annotations.views.accounts.axes_username"
AXES_HTTP_RESPONSE_CODE = 429
if env_bool("BEHIND_TLS_PROXY"):
    # The proxy's address would be everybody's: take the client's from the header the proxy sets.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# A session lasts a working day from the login (NEWSROOM_SESSION_HOURS), then the login page asks again.
SESSION_COOKIE_AGE = env_int("NEWSROOM_SESSION_HOURS", 10) * 3600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "annotations:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Security: strict unless DEBUG is on. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER via the environment (X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One Content-Security-Policy for the whole app, the admin included (django-csp 4 format). The pages show
# text nobody here wrote (articles, claims, sources): should any of it ever escape unescaped, the browser
# still runs only our own script files, applies only our own style sheets, loads nothing from elsewhere and
# posts forms only to us. Nothing is inline: no <script> code, no on...= handlers, no style="..." attributes
# (JSON data blocks are not scripts and need no exception). The admin of Django 5.2 works under it too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- The newsroom's own settings -------------------------------------------------

# Four eyes: the creator of a claim may not set it to verified or disputed.
NEWSROOM_FOUR_EYES = env_bool("NEWSROOM_FOUR_EYES", True)

# The organisation named as author of exported ClaimReviews.
NEWSROOM_ORGANISATION = {
    "name": os.environ.get("NEWSROOM_ORGANISATION_NAME", "Newsroom Faktencheck"),
    "url": os.environ.get("NEWSROOM_ORGANISATION_URL", "https://example.org/"),
}

# --- Article import (issue 3): limits for uploads and `manage.py import_articles` -------------

# One file (a .txt, .html, .docx or one entry of a zip archive).
NEWSROOM_IMPORT_MAX_FILE_BYTES = env_int("NEWSROOM_IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024)
# A whole upload request; above it the server answers 413 before reading the body.
NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = env_int("NEWSROOM_IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
NEWSROOM_IMPORT_MAX_FILES = env_int("NEWSROOM_IMPORT_MAX_FILES", 50)
# Zip bombs: the unpacked size of an archive, its compression ratio and its number of entries.
NEWSROOM_IMPORT_MAX_ZIP_UNCOMPRESSED_BYTES = env_int("NEWSROOM_IMPORT_MAX_ZIP_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
NEWSROOM_IMPORT_MAX_ZIP_RATIO = env_int("NEWSROOM_IMPORT_MAX_ZIP_RATIO", 100)
NEWSROOM_IMPORT_MAX_ZIP_ENTRIES = env_int("NEWSROOM_IMPORT_MAX_ZIP_ENTRIES", 2000)
# A web page's elements (drawings not counted): reading grows faster than the page, so it is bounded.
NEWSROOM_IMPORT_MAX_HTML_ELEMENTS = env_int("NEWSROOM_IMPORT_MAX_HTML_ELEMENTS", 5000)
# Django refuses more files than this with a bare 400; ours is the friendlier limit above.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, NEWSROOM_IMPORT_MAX_FILES + 1)
# A pasted text may be as large as a file (plus the other form fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = NEWSROOM_IMPORT_MAX_FILE_BYTES + 256 * 1024
# The 413 check must run before CSRF, which reads (and so would receive) the whole body.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"), "annotations.middleware.RequestSizeLimitMiddleware"
)

# --- The live desk (issue 14): open pages ask the database what colleagues changed ---------------

# How often an open article page asks (milliseconds): a colleague's change shows within about this long.
# An idle page costs one small request each time (see README, "The live desk").
NEWSROOM_LIVE_POLL_MS = env_int("NEWSROOM_LIVE_POLL_MS", 2000)
# How often the queue and the dashboard ask whether claims were added or changed.
NEWSROOM_LIVE_NOTICE_POLL_MS = env_int("NEWSROOM_LIVE_NOTICE_POLL_MS", 10000)
