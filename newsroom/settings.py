"""Newsroom settings. Every value comes from the environment; see the README's table.

With nothing set, Newsroom runs embedded: a SQLite file and a file cache under
NEWSROOM_DATA_DIR, both shared by every process, and Celery tasks and scheduled work run
in-process. DATABASE_URL and REDIS_URL move it to PostgreSQL and Redis; DJANGO_DEBUG=0 is
production and demands SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from newsroom.env import (
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_url_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("NEWSROOM_DATA_DIR") or BASE_DIR / "data")

# CORE
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DJANGO_DEBUG=0 (production). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-embedded-development-only"  # noqa: S105 - never used in production

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The organisation readers and partners see: the public site's name, the copyright holder.
NEWSROOM_ORGANISATION = env_str("NEWSROOM_ORGANISATION", "Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # The story body's rich-text editor (its static files and system checks).
    "django_prose_editor",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "articles",
    "sources",
    "ingest",
    "distribution",
    # After django_otp's plugins: its admin replaces theirs.
    "mfa",
    # The project's own commands (`serve`).
    "newsroom",
]

MIDDLEWARE = [
    "newsroom.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every response below here gets the framing and content policies, whichever
    # middleware or view answers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.csp.PolicyByPathMiddleware",
    # A cached feed for a reader without a session is answered here, before the session,
    # CSRF, user, second factor, messages and lockout it never uses
    # (distribution/feeds/middleware.py).
    "distribution.feeds.middleware.CachedFeedMiddleware",
    # A partner API request without a session cookie goes to its view from here
    # (distribution/api/middleware.py), past the same parts of the stack.
    "distribution.api.middleware.PartnerAPIMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsroom.sessions.SessionLifetimeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified once a second factor was given in this session; the next one
    # keeps an unverified session out of the admin (mfa/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "mfa.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# DATABASE
DATABASES = {"default": database_from_env("DATABASE_URL", str(DATA_DIR / "newsroom.sqlite3"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE
REDIS_URL = redis_url_from_env("REDIS_URL")
# The cache may live in another Redis database than the broker (the test suite clears it).
REDIS_CACHE_URL = redis_url_from_env("REDIS_CACHE_URL") or REDIS_URL
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Embedded: files under the data folder, shared by the server, the scheduler and every
    # command, so a kill from the command line reaches the served feeds.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.filecache.SharedFileCache",
            "LOCATION": env_str("CACHE_DIR") or str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# While the cache does not answer, feeds and the API serve from the database and skip the
# cache for this long before trying it again.
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 5)

# CELERY
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits out a broker outage of any length, reconnecting, instead of exiting.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Redis redelivers a task not acked within this time; no task or countdown may run longer.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
}
# Enqueueing after a commit gives up quickly when Redis does not answer: the change is
# committed and its outbox row waits; beat's dispatcher fans it out and the feed reconciler
# renders it once Redis is back. Bounded so a publish returns within 2 s during an outage.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# No caller reads a task's result (but `ping`, which asks for it): sending a task then never
# waits on the result store.
CELERY_TASK_IGNORE_RESULT = True
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
}
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job, in one place; beat's database scheduler installs them at start, and in
# embedded mode `manage.py serve` runs them in-process (newsroom/scheduler.py).
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-stories": {"task": "articles.publish_due", "schedule": 10.0},
    "lift-due-embargoes": {"task": "articles.lift_due_embargoes", "schedule": 10.0},
    "dispatch-webhook-deliveries": {"task": "distribution.dispatch_deliveries", "schedule": 5.0},
    # Renders feeds a lost task or a killed worker left owed. A pass still queued after
    # 10 s is dropped (a later one does its work), so a busy worker is not flooded.
    "reconcile-feeds": {
        "task": "distribution.feeds.reconcile",
        "schedule": 2.0,
        "options": {"expires": 10.0},
    },
    # Runs each active agency channel whose next attempt is due (ingest.channels).
    "poll-ingest-channels": {
        "task": "ingest.poll_channels",
        "schedule": 5.0,
        "options": {"expires": 10.0},
    },
}
# Embedded mode only: `manage.py serve` runs CELERY_BEAT_SCHEDULE in a thread of the server.
SCHEDULER_IN_PROCESS = env_bool("SCHEDULER_IN_PROCESS", not REDIS_URL)

# INTERNATIONALISATION
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# STATIC FILES
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# AUTH
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# LOGIN PROTECTION (django-axes)
# A username and an address are counted apart: LOGIN_FAILURE_LIMIT wrong passwords for one
# user from anywhere, or for any users from one address, lock that user or that address out
# for LOGIN_COOLOFF_MINUTES. The lockout answers 429, whatever password comes next.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
# Log lines name the username and address tried (axes masks both by default).
AXES_SENSITIVE_PARAMETERS: list[str] = []
# How many proxies in front of the web process append to X-Forwarded-For (0: none, the peer
# address is the client's).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# MULTI-FACTOR AUTHENTICATION (django-otp: an authenticator app and recovery codes; mfa/)
# Required, when on, of every account that may publish, kill or see confidential sources
# (mfa/policy.py): such a user enrols at the first login and gives a code at every login.
# Off in the embedded default, where enrolment is offered, so the printed login just works.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = NEWSROOM_ORGANISATION
# Security keys and passkeys (WebAuthn, django-otp-webauthn), added beside the app. Browsers
# allow WebAuthn only on HTTPS and on localhost: embedded, use http://localhost:8000.
_site = urlsplit(SITE_URL)
WEBAUTHN_ORIGINS = env_list(
    "WEBAUTHN_ORIGINS",
    [f"{_site.scheme}://{_site.netloc}"] if _site.scheme == "https" else ["http://localhost:8000"],
)
OTP_WEBAUTHN_ALLOWED_ORIGINS = WEBAUTHN_ORIGINS
OTP_WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID") or urlsplit(WEBAUTHN_ORIGINS[0]).hostname
OTP_WEBAUTHN_RP_NAME = NEWSROOM_ORGANISATION
# A key is a second factor here, never a way round the password and its lockout.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# SESSIONS: an editor's session ends 12 hours after login and after 30 minutes idle
# (newsroom/sessions.py). Changing a password ends the user's other sessions (Django checks
# the password hash each session was made with); an administrator's MFA reset ends all of
# them (mfa/services.py).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True

# LIMITS: each thing has its own limit and a message that names it; the whole-request cap
# is far above them, so an editor over a field's limit gets a form error, text kept.
# Any request whose Content-Length is above this is answered 413 before its body is read
# (newsroom/limits.py); set the proxy's limit to the same (see the README).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 12 * 1024 * 1024)
# A story's body HTML, in UTF-8 bytes: past it the form says so (the text kept) and the
# sanitiser is never given it.
ARTICLE_BODY_MAX_BYTES = env_int("ARTICLE_BODY_MAX_BYTES", 1024 * 1024)
if REQUEST_MAX_BYTES < 4 * ARTICLE_BODY_MAX_BYTES:
    raise ImproperlyConfigured(
        "REQUEST_MAX_BYTES must be at least 4 times ARTICLE_BODY_MAX_BYTES, so that a body "
        "over its limit reaches the form (and gets a message) instead of a refused request."
    )
# Every request under the cap is read, so the form sees an oversized field and says which.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
WIRE_FILE_MAX_BYTES = 1024 * 1024
# Agency channels (ingest.channels): a file, feed entry or push body is refused over
# WIRE_FILE_MAX_BYTES; a whole feed over INGEST_FEED_MAX_BYTES. Seconds for the rest.
INGEST_FEED_MAX_BYTES = env_int("INGEST_FEED_MAX_BYTES", 5 * 1024 * 1024)
INGEST_FETCH_TIMEOUT_SECONDS = env_int("INGEST_FETCH_TIMEOUT_SECONDS", 10)
INGEST_BACKOFF_MAX_SECONDS = env_int("INGEST_BACKOFF_MAX_SECONDS", 3600)
INGEST_ALERT_AFTER_FAILURES = env_int("INGEST_ALERT_AFTER_FAILURES", 5)

# Alerts are e-mailed to the desk's editors (articles.alerts). Embedded, they are printed on
# the console; in production set EMAIL_HOST and the rest.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# An admin upload is imported by a task (ingest.tasks): no batch of files is started after
# the soft limit, and a worker interrupts the batch under way at it; at the hard limit the worker
# kills the task and its page reports it failed. Seconds.
WIRE_IMPORT_SOFT_TIME_LIMIT = env_int("WIRE_IMPORT_SOFT_TIME_LIMIT", 120)
WIRE_IMPORT_TIME_LIMIT = env_int("WIRE_IMPORT_TIME_LIMIT", 150)
if WIRE_IMPORT_TIME_LIMIT <= WIRE_IMPORT_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "WIRE_IMPORT_TIME_LIMIT must be above WIRE_IMPORT_SOFT_TIME_LIMIT, so that a run "
        "stopped at the soft limit has time to record which files it did not import."
    )

# SECURITY (production)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser accepts the cookie only over HTTPS, for this host, on path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The deploy check cannot see that SECURE_SSL_REDIRECT is intentionally off behind a proxy
# that terminates TLS and redirects itself.
SILENCED_SYSTEM_CHECKS = [] if env_bool("SECURE_SSL_REDIRECT", True) else ["security.W008"]

# CONTENT SECURITY POLICY (django-csp; newsroom/csp.py picks the policy by path)
# The public site (story pages, feeds, the API) loads only its own stylesheet: no script,
# no inline style, no frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# Django's admin has no inline script or style; it needs its own files, data: icons and its
# forms.
ADMIN_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The story pages carry the body editor (django-prose-editor, articles/body_editor.py). It
# needs two inline elements, each allowed by its hash alone: the import map naming its two
# modules under /static/ (an import map cannot be a file), and the base ProseMirror
# stylesheet Tiptap injects (white-space: pre-wrap, the cursor). A paste from Word or
# Google Docs says bold and italic in style attributes (font-weight, font-style), which the
# browser parses only where style attributes may apply: hence 'unsafe-inline' for style
# attributes (`style-src-attr`) alone, never for <style> elements or scripts, and only here.
# tests/articles/test_body_editor.py recomputes both hashes from the installed package.
BODY_EDITOR_IMPORT_MAP_HASH = "'sha256-dMSaNZ2HAg3fGayDHjnzf8aD/o7vhzLwIX1Bct4nqNY='"
BODY_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
ARTICLE_ADMIN_CSP = ADMIN_CSP | {
    "script-src": ["'self'", BODY_EDITOR_IMPORT_MAP_HASH],
    "style-src": ["'self'", BODY_EDITOR_STYLE_HASH],
    "style-src-attr": ["'unsafe-inline'"],
}
# The body editor's extensions of the project's own (articles/static/articles/
# body-editor.js: the editable area's accessible name, pasted headings as subheads, Word's
# lists as lists); they make no HTML beyond the body's own tags.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [f"/{STATIC_URL}articles/body-editor.js"],
        "extensions": {
            "AccessibleName": lambda config, allowlist: None,
            "PastedHeadings": lambda config, allowlist: None,
            "PastedWordLists": lambda config, allowlist: None,
        },
    }
]
CSP_POLICIES_BY_PATH = [
    ("/admin/articles/article/", ARTICLE_ADMIN_CSP),
    ("/admin/", ADMIN_CSP),
    # ReDoc and Swagger UI (served from drf-spectacular-sidecar) inject their styles at run
    # time and ReDoc runs a blob: worker; scripts still come only from this site.
    (
        "/api/docs/",
        {
            "default-src": ["'none'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "worker-src": ["blob:"],
            "base-uri": ["'none'"],
            "form-action": ["'none'"],
            "frame-ancestors": ["'none'"],
        },
    ),
]

# SOURCE PROTECTION
# Fernet keys, newest first: new data is encrypted with the first, old data read with any,
# so a key is rotated by putting the new one in front and running `rotate_source_keys`.
SOURCE_ENCRYPTION_KEYS = env_list("SOURCE_ENCRYPTION_KEYS", [])
if not SOURCE_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SOURCE_ENCRYPTION_KEYS must be set when DJANGO_DEBUG=0. Generate a key with: python "
            "-c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    SOURCE_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    ]

# DJANGO REST FRAMEWORK
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "partner": env_str("PARTNER_THROTTLE_RATE", "600/min"),
        # Requests refused for want of a valid key, per client address.
        "unauthenticated": env_str("API_UNAUTHENTICATED_THROTTLE_RATE", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom partner API",
    "DESCRIPTION": "Published wire items as IPTC ninjs 2.2, for partner newsrooms.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The documentation pages load ReDoc and Swagger UI from this site, never from a CDN.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI would otherwise show a badge fetched from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
API_KEY_CUSTOM_HEADER = "HTTP_AUTHORIZATION"

# SYNDICATION
WEBSUB_HUB_URL = env_str("WEBSUB_HUB_URL")
FEED_MAX_ITEMS = 50
FEED_CACHE_SECONDS = env_int("FEED_CACHE_SECONDS", 30)
# Bytes of feed bodies each web process keeps in memory, least recently used first out;
# 0 keeps none (every request reads its body from the shared cache).
FEED_MEMORY_BYTES = env_int("FEED_MEMORY_BYTES", 64 * 1024 * 1024)
if FEED_MEMORY_BYTES < 0:
    raise ImproperlyConfigured("FEED_MEMORY_BYTES must be 0 (none kept) or a number of bytes.")
# Days a killed story's kill notice stays in the feeds that listed it (an Atom tombstone,
# a JSON Feed and an RSS item under the story's id), counted from the kill.
FEED_KILL_NOTICE_DAYS = env_int("FEED_KILL_NOTICE_DAYS", 7)
WEBHOOK_DISABLE_AFTER = timedelta(days=env_int("WEBHOOK_DISABLE_AFTER_DAYS", 5))
# The total wall-clock time of one push attempt: connect, request, answer headers and body.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Push attempts one endpoint may have in flight at once (1 also keeps its pushes in order).
WEBHOOK_MAX_IN_FLIGHT = env_int("WEBHOOK_MAX_IN_FLIGHT", 1)
# Push attempts one worker process has open at once, over all endpoints (and the size of
# its connection pool: httpx's pool costs more per request the more connections it holds).
WEBHOOK_CONCURRENCY = max(1, env_int("WEBHOOK_CONCURRENCY", 20))
# A fan-out is split into tasks of this many deliveries, which the worker processes take
# in turn; each sends its batch at once, WEBHOOK_CONCURRENCY at a time.
WEBHOOK_BATCH_SIZE = max(1, env_int("WEBHOOK_BATCH_SIZE", 50))
# After a secret is rotated, the old one keeps signing beside the new one this long.
WEBHOOK_SECRET_GRACE = timedelta(hours=env_int("WEBHOOK_SECRET_GRACE_HOURS", 24))

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In-process tasks would log every run beside the request that caused it.
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        # The in-process scheduler would log each due task every few seconds.
        "celery.beat": {"level": "INFO" if REDIS_URL else "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        # urllib3 logs each request's full URL at DEBUG, a partner's ?token=… included.
        "urllib3": {"level": "WARNING"},
        # httpx logs each request's full URL at INFO (httpcore its connections at DEBUG).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
