"""Baolei settings: one module, every value from a BAOLEI_* environment variable.

See ``.env.example`` for the variables and ``baolei/config.py`` for parsing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from baolei import config

BASE_DIR = Path(__file__).resolve().parent

ENVIRONMENT = config.env_choice("ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret("SECRET_KEY", production=PRODUCTION, directory=DATA_DIR, min_length=50)
# Key for encrypting resident ID numbers, phone numbers and reporter identities at rest.
FIELD_ENCRYPTION_KEY = config.secret(
    "FIELD_ENCRYPTION_KEY", production=PRODUCTION, directory=DATA_DIR, min_length=32
)
DEBUG = config.env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = config.env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise config.fail("ALLOWED_HOSTS", "生产模式下必须设置", "must be set in production mode")
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "js_lib_htmx",
    "js_lib_bootstrap5",
    "django_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "baolei.core",
    "baolei.regions",
    "baolei.accounts",
    "baolei.audit",
    "baolei.people",
    "baolei.ledger",
    "baolei.notices",
    "baolei.screening",
    "baolei.supervision",
    "baolei.coordination",
    "baolei.cases",
    "baolei.clues",
    "baolei.cadres",
    "baolei.vetting",
    "baolei.reports",
    "baolei.search",
    "baolei.inbox",
    "baolei.network",
    "baolei.web",
    "baolei.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baolei.accounts.middleware.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "baolei.core.caching.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "baolei.accounts.middleware.PasswordExpiryMiddleware",
    "baolei.accounts.middleware.SystemCallLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "baolei.core.middleware.BadQueryMiddleware",
    "baolei.core.outcomes.ServiceErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles and everything else come from
# our own origin only; no inline script, style="" attribute or eval. Pages keep their
# behaviour in static files (baolei/static/baolei/). data: is for the small SVG images
# inside Bootstrap's and Swagger UI's stylesheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "baolei.urls"
WSGI_APPLICATION = "baolei.wsgi.application"

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
                "baolei.web.context.navigation",
            ],
        },
    },
]

# Database: SQLite in WAL mode under the data directory unless BAOLEI_DATABASE_URL says otherwise.
_default_db = f"sqlite:///{DATA_DIR / 'baolei.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            config.env_str("DATABASE_URL", _default_db), conn_max_age=60
        )
    }
except ValueError as exc:
    raise config.fail("DATABASE_URL", f"无法解析（{exc}）", f"cannot be parsed ({exc})") from None
# On SQLite one write transaction runs at a time; the others wait for it this long before
# failing with "database is locked". The longest is an import of IMPORT_MAX_ROWS rows,
# applied in one transaction (a 5,000-row ledger holds it about 15 s on two busy cores).
SQLITE_BUSY_SECONDS = config.env_int("SQLITE_BUSY_SECONDS", 60, minimum=1)
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000};"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_SECONDS,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    DATABASES["default"]["TEST"] = {"NAME": config.raw("TEST_SQLITE_NAME") or ""}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the planner's cost of a dashboard's or to-do's correlated
    # sub-selects passes its threshold, and compiling them took 0.8 s of a 1.4 s query at
    # province size, far more than it saved. (options= in the URL's query string wins.)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "baolei.accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "baolei.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": config.env_int("PASSWORD_MIN_LENGTH", 8, minimum=8)},
    },
    {"NAME": "baolei.accounts.validators.CommonPasswordValidator"},
    {"NAME": "baolei.accounts.validators.CharacterClassValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "baolei.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
PASSWORD_MAX_AGE_DAYS = config.env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保 level 3: lock after 5 failures per username and per address, for 30 minutes.
AXES_FAILURE_LIMIT = config.env_int("LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=config.env_int("LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind N trusted reverse proxies the client is the N-th X-Forwarded-For entry from
# the right (baolei/accounts/network.py); the lockout and the security log both use it.
PROXY_COUNT = config.env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "baolei.accounts.network.client_address"
AXES_VERBOSE = False
# 双因素: TOTP (an authenticator app) after the password, for administrators, leaders
# and agencies that require it. Wrong codes count towards the lockout above, which is
# the one throttle; django-otp's own per-device delay is switched off.
OTP_TOTP_ISSUER = "堡垒 Baolei"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Idle sessions end after 30 minutes.
SESSION_COOKIE_AGE = config.env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# The idle timeout is kept by SessionTouchMiddleware, which saves a session again at
# most once a minute, so reads do not rewrite it.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["baolei.formats"]

# Forms are drawn by django-bootstrap5 ({% bootstrap_form form %}) with the office's
# format hints (baolei.core.form_style). Its CDN addresses are never used: Bootstrap
# itself is served from our static files (js_lib_bootstrap5).
BOOTSTRAP5 = {
    "css_url": None,
    "javascript_url": None,
    "set_placeholder": False,
    "required_css_class": "required",
    "wrapper_class": "mb-3",
    "field_renderers": {"default": "baolei.core.form_style.FieldRenderer"},
}
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS: list[Any] = [BASE_DIR / "static"]
# ECharts comes from npm (package.json at the repository root; scripts/_venv.py runs
# `npm ci`). Without it the dashboard shows its charts as tables only.
ECHARTS_DIR = BASE_DIR.parent / "node_modules" / "echarts" / "dist"
if ECHARTS_DIR.is_dir():
    STATICFILES_DIRS.append(("echarts", ECHARTS_DIR))
# Tom Select (npm too) turns long choice lists into type-ahead pickers; without it they
# stay plain selects holding the chosen option only.
TOM_SELECT_DIR = BASE_DIR.parent / "node_modules" / "tom-select" / "dist"
if TOM_SELECT_DIR.is_dir():
    STATICFILES_DIRS.append(("tom-select", TOM_SELECT_DIR))
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

# API tokens expire after this many days (and end with the user's sessions).
API_TOKEN_DAYS = config.env_int("API_TOKEN_DAYS", 30, minimum=1)
REST_FRAMEWORK = {
    # Service errors (ValidationError, StaleVersion, PermissionDenied) become 400 / 409 /
    # 403 with Chinese messages in one place.
    "EXCEPTION_HANDLER": "baolei.core.outcomes.api_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a refused token answers 401 with WWW-Authenticate: Token.
        "baolei.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # A token limited to some modules (read or write) reaches only those.
        "baolei.accounts.authentication.TokenScopePermission",
        "baolei.core.api_policy.PolicyPermission",
    ],
    # JSON only: DRF's browsable pages carry inline styles the Content-Security-Policy
    # refuses; the interactive documentation is Swagger UI at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "baolei.core.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "baolei.core.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "堡垒 Baolei API",
    "DESCRIPTION": "扫黑除恶专项斗争工作平台接口。所有列表均按当前用户的可见范围过滤。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every write documents the optional Idempotency-Key header (baolei.core.idempotency).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "baolei.core.idempotency.document_header",
    ],
    # One schema name per choice set that several serializers share.
    "ENUM_NAME_OVERRIDES": {
        "VettingDecisionEnum": "baolei.vetting.models.Decision",
        "VettingSourceEnum": "baolei.vetting.models.Source",
        "AdjustmentReasonEnum": "baolei.cadres.models.Reason",
        "ProblemSourceEnum": "baolei.supervision.models.ProblemSource",
        "RelationKindEnum": "baolei.network.models.Kind",
        "CaseKindEnum": "baolei.cases.models.CaseKind",
        "AssetKindEnum": "baolei.cases.models.AssetKind",
        "ConsultationKindEnum": "baolei.cases.models.ConsultationKind",
        "SuspectStatusEnum": "baolei.cases.models.SuspectStatus",
        "ClueSourceEnum": "baolei.clues.models.Source",
        "AdjustmentDecisionEnum": "baolei.cadres.models.Decision",
        "TrainingBaseLevelEnum": "baolei.cadres.models.BaseLevel",
        "TrainingSessionKindEnum": "baolei.cadres.models.SessionKind",
    },
}

# Security log entries younger than this are never purged (网络安全法 第二十一条: ≥ 6 months).
AUDIT_RETENTION_DAYS = config.env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)
# Signed checkpoints of the security log (where it starts and ends), kept outside the
# database: `baolei audit checkpoint` appends one, and so does every purge.
AUDIT_CHECKPOINT_FILE = Path(
    config.env_str("AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.log"))
).expanduser()

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Long jobs (vetting runs) go to a queue in the database; `baolei db_worker` runs them.
# The tests swap in django_tasks' ImmediateBackend (baolei/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running background job whose heartbeat is older than this is marked failed
# (后台任务中断) when a worker starts and whenever its page is polled.
JOB_STALE_SECONDS = config.env_int("JOB_STALE_SECONDS", 120, minimum=10)
# A list export of more rows than this is written by a worker (后台导出) and kept
# for download this many hours.
EXPORT_JOB_ROWS = config.env_int("EXPORT_JOB_ROWS", 5000, minimum=0)
EXPORT_KEEP_HOURS = config.env_int("EXPORT_KEEP_HOURS", 24, minimum=1)

# Ledger warnings (三色督办): blue within N working days of the deadline, yellow
# when no progress has been reported for M calendar days.
LEDGER_BLUE_WORKING_DAYS = config.env_int("LEDGER_BLUE_WORKING_DAYS", 3, minimum=1)
LEDGER_STALE_DAYS = config.env_int("LEDGER_STALE_DAYS", 14, minimum=1)
# A long-term (长期坚持) item is reviewed again within this many days of acceptance.
LEDGER_LONG_TERM_REVIEW_DAYS = config.env_int("LEDGER_LONG_TERM_REVIEW_DAYS", 90, minimum=1)
EVIDENCE_MAX_MB = config.env_int("EVIDENCE_MAX_MB", 20, minimum=1)
# Excel imports (baolei/web/importing.py): the largest file and the most data rows.
IMPORT_MAX_MB = config.env_int("IMPORT_MAX_MB", 10, minimum=1)
IMPORT_MAX_ROWS = config.env_int("IMPORT_MAX_ROWS", 20_000, minimum=1)
# An upload of more data rows than this is imported by a worker (后台导入, see
# baolei/core/import_jobs.py), not in the request; its record is kept EXPORT_KEEP_HOURS.
IMPORT_JOB_ROWS = config.env_int("IMPORT_JOB_ROWS", 1000, minimum=0)
# Clues: days to conclude (calendar days), and per referral the working days to
# acknowledge (签收) and to feed back (反馈).
CLUE_DAYS_TO_CONCLUDE = config.env_int("CLUE_DAYS_TO_CONCLUDE", 30, minimum=1)
REFERRAL_ACK_WORKING_DAYS = config.env_int("REFERRAL_ACK_WORKING_DAYS", 3, minimum=1)
REFERRAL_FEEDBACK_WORKING_DAYS = config.env_int("REFERRAL_FEEDBACK_WORKING_DAYS", 20, minimum=1)
# Notifications by e-mail, beside the in-app ones: off unless BAOLEI_EMAIL_HOST is set
# (``console`` prints them, development mode only); sent after the event is committed.
EMAIL_HOST = config.raw("EMAIL_HOST") or ""
NOTICE_EMAIL = bool(EMAIL_HOST)
if EMAIL_HOST == "console":
    if PRODUCTION:
        raise config.fail("EMAIL_HOST", "生产模式下不能为 console", "console is for development")
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = config.env_int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = config.env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = config.env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = config.env_bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = config.env_bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = config.env_str("EMAIL_FROM", "baolei@localhost")
# The site's address as users reach it, put before the link in a notification e-mail.
NOTICE_SITE_URL = config.env_str("SITE_URL", "").rstrip("/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = (max(EVIDENCE_MAX_MB, IMPORT_MAX_MB) + 1) * 1024 * 1024

# The toolkit (baolei/core) logs exports, imports and refusals through this recorder.
SECURITY_LOG_RECORDER = "baolei.audit.services.record_event"
# Where the toolkit keeps the answers to API writes sent with an Idempotency-Key.
IDEMPOTENCY_STORE = "baolei.accounts.idempotency"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config.env_str("LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = config.env_bool("SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = config.env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # HSTS preload lists are a public-internet mechanism; an intranet host cannot join one.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if not SECURE_SSL_REDIRECT:
        # TLS is terminated and enforced by the reverse proxy (documented in the README).
        SILENCED_SYSTEM_CHECKS.append("security.W008")
