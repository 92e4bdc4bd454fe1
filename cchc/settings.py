"""Settings come from the environment; the defaults are safe for development only."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "communes",
    "indicators",
    "reports",
    "cchc.apps.LoginProtectionConfig",  # django-axes
]
# The benchmark commands (`bench`, `loadtest`) are development tools: installed with the development
# settings or CCHC_BENCHMARKS=1, never in production, and left out of the image (.dockerignore).
if DEBUG or env_bool("CCHC_BENCHMARKS"):
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    # First: a request larger than MAX_REQUEST_BYTES is refused (413) before anything reads its body.
    "cchc.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cchc.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, whose static files are public: everything else is private to its reader.
    "cchc.middleware.PrivateResponsesMiddleware",
    # A NUL character in the address or a form is a 400 before any view can pass it to the database.
    "cchc.middleware.UnreadableInputMiddleware",
    # Pages are compressed here (Django pads them against BREACH), large downloads faster; whitenoise
    # serves static files already compressed with brotli.
    "cchc.middleware.DownloadGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that goes away during a request gets a 503 page (cchc/outage.py).
    "cchc.outage.DatabaseOutageMiddleware",
    # Last, as django-axes asks: it turns a lockout during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that will write takes SQLite's write lock when it begins, and a second writer waits for
    # it: otherwise two that read first both try to upgrade, and one fails at once with "database is
    # locked" instead of seeing the first one's change (a 409, "changed by someone else").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=int(os.environ.get("DJANGO_SQLITE_TIMEOUT", "20"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DJANGO_DB_POOL"):
    # psycopg's pool replaces persistent connections; Django refuses both at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "communes.User"
# django-axes' backend comes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "communes.scope.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cchc.auth.LettersAndDigitsValidator"},
]

# Failed logins lock out one user name from one address: a commune office behind one address is not locked
# out by one colleague, and guessing one account's password from one place stops after a few tries.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And any name from one address after this many failures within the cool-off (cchc.auth.LoginThrottle): few
# guesses at many names are slowed too, while an office's occasional typos stay far below it.
AXES_HANDLER = "cchc.auth.LoginThrottle"
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cchc.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cchc.auth.client_ip"
# No banner on every management command; failures and lockouts are still logged and kept in the database.
AXES_VERBOSE = False
# How many reverse proxies of ours stand in front of the application and append to X-Forwarded-For. 0: the
# header is ignored (anyone can send it) and the connection's address is the client's.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "vi"
# The interface is Vietnamese for everyone, whatever language the browser asks for.
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own Vietnamese formats lack thousand grouping and day-first input; ours complete them.
FORMAT_MODULE_PATH = ["cchc.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Scripts only from this site, never inline: pages embed their data as JSON, not as code. Plotly sets
# inline styles as it draws, so styles (not scripts) allow them.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: forms carry the token
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only consent to a preload list: nothing is listed until the domain's owner submits the domain itself.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

IMPORT_EXPORT_USE_TRANSACTIONS = True
# The data administration's import and export buttons offer the formats our users open, Excel and CSV, read
# and written as the Excel page does (indicators/excel/admin_exchange.py).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "indicators.excel.uploads.AdminImportStorage"

# The ranking pages open to visitors who are not logged in (off: every page needs a login).
CCHC_PUBLIC_RANKING = env_bool("CCHC_PUBLIC_RANKING")
# Importing needs the "add" permission and exporting "view" (django-import-export's default lets anyone who
# may view import); the Excel pages ask the same of the user's role.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The largest request body accepted (cchc.middleware): an Excel upload (at most 5 MB, MAX_FILE_BYTES of
# indicators/excel/spreadsheets.py) with its form fits, so a file slightly too large still gets the form's
# message.
# Fields other than files stay under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
MAX_REQUEST_BYTES = int(os.environ.get("DJANGO_MAX_REQUEST_BYTES", str(6 * 1024 * 1024)))
# Uploaded workbooks wait here between their preview and the user's confirmation (a day at most).
EXCEL_UPLOAD_DIR = Path(
    os.environ.get("EXCEL_UPLOAD_DIR") or Path(tempfile.gettempdir()) / "cchc-excel-uploads"
)
# All of them together, whoever uploaded them (each user keeps five at most).
EXCEL_UPLOAD_MAX_TOTAL_BYTES = int(os.environ.get("EXCEL_UPLOAD_MAX_TOTAL_MB", "500")) * 2**20

# Every record is printed once, by the root logger's handler. Django configures its DEFAULT_LOGGING first and
# this on top of it, which keeps loggers not named here as they were: the "django" logger would keep its own
# console handler (active with DEBUG) and still pass each record on to the root's, so the development server
# printed every line twice. Named here, it loses its handlers (no ADMINS, so mail_admins sent nothing) and
# only propagates; "django.server" (runserver's request lines) is then named too, to keep its own
# "[time] request" format without passing the record on to the root's handler as well.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # django-axes reports every successful login at INFO; failures and lockouts are warnings.
        "axes": {"level": os.environ.get("DJANGO_AXES_LOG_LEVEL", "WARNING")},
    },
}
