"""Production-safe settings. Every deployment-specific value comes from the environment.

There is no prod.py: production is this module plus environment variables (see README).
`dev.py` (embedded mode, `make run`) and `test.py` override only what they must.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from maillage.core.env import (
    embedded_secret_key,
    env_bool,
    env_int,
    env_json,
    env_list,
    env_secret,
    env_str,
)

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("MAILLAGE_VAR_DIR", str(BASE_DIR / "var")))

# "Embedded" is the one-command laptop mode (`make run`, set by dev.py and test.py); anything
# else is a real deployment, where a missing secret or host list must stop the start.
MAILLAGE_EMBEDDED = env_bool("MAILLAGE_EMBEDDED", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not MAILLAGE_EMBEDDED:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    SECRET_KEY = embedded_secret_key(VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if MAILLAGE_EMBEDDED else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this deployment serves")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if MAILLAGE_EMBEDDED else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL (https://…) is required: e-mails and SMS link to it")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "maillage.core",
    "maillage.deid",
    "maillage.audit",
    "maillage.accounts",
    "maillage.directory",
    "maillage.notifications",
    "maillage.records",
    "maillage.billing",
    "maillage.triage",
    "maillage.health_info",
    "maillage.consultations",
    "maillage.cases",
    "maillage.communities",
    "maillage.profiles",
    "maillage.expertise",
    "maillage.teleconsultation",
    "maillage.portal",
    "maillage.dashboards",
    "maillage.operations",
    "oauth2_provider",
    "maillage.fhir_api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "maillage.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware: marks the session for a save at most once a minute.
    "maillage.accounts.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "maillage.core.middleware.PrivatePagesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maillage.accounts.middleware.UserLanguageMiddleware",
    "maillage.accounts.middleware.ProfessionalMfaRequiredMiddleware",
    # axes must come last: it turns lockouts raised by the backends into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "maillage.portal.context_processors.site",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
_SQLITE_OPTIONS = {
    # IMMEDIATE avoids "database is locked" on lock upgrades between the web and task workers.
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
    ),
}


def database_from_url(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL; an empty value means the embedded SQLite file under var/."""
    if not url:
        url = f"sqlite:///{VAR_DIR / 'maillage.sqlite3'}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(_SQLITE_OPTIONS)
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL must point to PostgreSQL or SQLite, not {config['ENGINE']}"
        )
    return config


DATABASES = {"default": database_from_url(env_str("DATABASE_URL"))}
# A streaming read replica for the public pages (maillage.core.db_router; README, "Running at
# scale"). Read-your-writes: a browser that wrote reads from the primary for this long.
DATABASE_ROUTERS: list[str] = []
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10, minimum=1)
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_from_url(env_str("DATABASE_REPLICA_URL"))
    if {DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"]} != {
        "django.db.backends.postgresql"
    }:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for both databases")
    # Refused by a hot standby anyway; this also guards a replica that would accept writes.
    DATABASES["replica"]["OPTIONS"] = {"options": "-c default_transaction_read_only=on"}
    DATABASE_ROUTERS = ["maillage.core.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("maillage.core.middleware.RequestIdMiddleware") + 1,
        "maillage.core.db_router.ReplicaMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "REDIS_URL must start with redis://, rediss:// or unix://"  # never echo: it may hold a password
    )

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": "maillage",
                # The sockets of one server process share one inbox in Redis, and a case's
                # fan-out puts a message per doctor in it at once: the default (100) dropped
                # most of a 1,000-doctor fan-out. Unread messages still expire after 60 s.
                "capacity": 5000,
            },
        }
    }
    # A Redis outage costs cache misses, not error pages (maillage.core.cache); short
    # timeouts so that a partitioned Redis does not hold every page for long.
    CACHES = {
        "default": {
            "BACKEND": "maillage.core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "maillage",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # In-memory layer: correct only with a single ASGI process (the embedded mode).
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications"],
    }
}
# Seconds between two ticks of the periodic scheduler (see maillage.core.scheduler).
SCHEDULER_TICK_SECONDS = env_int("SCHEDULER_TICK_SECONDS", 30, minimum=1)
# A running task's worker renews its lease four times per period; past it, the worker is taken
# for dead and the scheduler re-queues the task (maillage.core.leases), at most 3 runs in all.
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 120, minimum=2)
# How many colleagues a new case is sent to at a time (see maillage.cases.routing).
CASE_ROUTING_FANOUT = env_int("CASE_ROUTING_FANOUT", 12, minimum=1)

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's, loading the user's roles with the user (one query per page).
    "maillage.accounts.backends.RolesModelBackend",
    "maillage.accounts.backends.RolesAllauthBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # CNIL 2022 recommendation for a password used alone: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

ACCOUNT_ADAPTER = "maillage.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "maillage.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillage] "
ACCOUNT_SIGNUP_FORM_CLASS = "maillage.accounts.forms.SignupForm"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# What one person (or address, signed out) may create, past which a 429 page answers
# (maillage.core.ratelimit; counted in the default cache).
RATE_LIMITS = {
    "online_request": env_str("RATE_LIMIT_ONLINE_REQUESTS", "10/h"),
    "case": env_str("RATE_LIMIT_CASES", "20/h"),
    "community_post": env_str("RATE_LIMIT_COMMUNITY_POSTS", "30/h"),
    "report": env_str("RATE_LIMIT_REPORTS", "30/h"),
    "oauth_token": env_str("RATE_LIMIT_OAUTH_TOKENS", "30/m"),
    # Reads of the FHIR API, per bearer token (maillage.fhir_api.views).
    "fhir_read": env_str("RATE_LIMIT_FHIR_READS", "300/m"),
}
# The client behind our own proxies only (TRUSTED_PROXY_COUNT), as for login lockouts.
RATELIMIT_IP_META_KEY = "maillage.core.middleware.client_ip"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Maillage"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
MFA_ADAPTER = "maillage.accounts.adapters.MfaAdapter"

# Pro Santé Connect (or any OpenID Connect provider) — enabled when its server URL is set.
PSC_SERVER_URL = env_str("OIDC_SERVER_URL")
PSC_PROVIDER_ID = env_str("OIDC_PROVIDER_ID", "psc")
# The authentication level requested from Pro Santé Connect, and checked on every login.
PSC_REQUIRED_ACR = env_str("OIDC_ACR_VALUES", "eidas1")
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": PSC_PROVIDER_ID,
                    "name": env_str("OIDC_PROVIDER_NAME", "Pro Santé Connect"),
                    "client_id": env_str("OIDC_CLIENT_ID"),
                    "secret": env_secret("OIDC_CLIENT_SECRET"),
                    "settings": {
                        "server_url": PSC_SERVER_URL,
                        "token_auth_method": env_str(
                            "OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"
                        ),
                        "auth_params": {"acr_values": PSC_REQUIRED_ACR},
                        "scope": env_list("OIDC_SCOPES", ["openid", "scope_all"]),
                    },
                }
            ]
            if PSC_SERVER_URL
            else []
        ),
    }
}
if PSC_SERVER_URL and not env_str("OIDC_CLIENT_ID"):
    raise ImproperlyConfigured("OIDC_CLIENT_ID is required when OIDC_SERVER_URL is set")
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "maillage.accounts.lockout.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "maillage.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Sessions: sliding idle timeout (PGSSI-S asks for one on health data), stored in DB + cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Saved (its expiry pushed back) when its last refresh is older than SESSION_REFRESH_SECONDS,
# not on every request: an idle session ends up to that much before SESSION_COOKIE_AGE
# (maillage.accounts.middleware.SessionIdleRefreshMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60, minimum=0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Anonymous visits of the public pages (library, article, directory, profile) are served whole
# from the cache for this long, and said cacheable that long to nginx and browsers; 0 turns it
# off. Edits drop the cached pages at once (maillage.core.public_cache).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 60, minimum=0)

# --- OAuth 2 for the FHIR API (django-oauth-toolkit; SMART App Launch) ---------------------
# Apps are registered by an operator (admin); users authorise them on /oauth/authorize/.
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "maillage.fhir_api.scopes.SmartScopesBackend",
    "OAUTH2_VALIDATOR_CLASS": "maillage.fhir_api.oauth.SmartValidator",
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("FHIR_ACCESS_TOKEN_SECONDS", 3600, minimum=60),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int(
        "FHIR_REFRESH_TOKEN_SECONDS", 30 * 24 * 3600, minimum=3600
    ),
    "ROTATE_REFRESH_TOKEN": True,
    # Plain http redirect URIs only on a laptop (embedded mode); a deployment needs https.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if MAILLAGE_EMBEDDED else ["https"],
    "REQUEST_APPROVAL_PROMPT": "force",
    # RFC 9700 (OAuth 2.0 Security BCP) now rather than when the library flips its defaults:
    # no implicit or password grant, S256 PKCE only, tokens never in a URL, the `iss`
    # parameter in authorisation responses, tokens stored hashed, refresh tokens single-use.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}

# --- Security headers -----------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _origin(url: str) -> str:
    parsed = urlsplit(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise ImproperlyConfigured("OIDC_SERVER_URL must be an absolute https:// URL")
    return f"{parsed.scheme}://{parsed.netloc}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The OIDC login posts to us, then redirects to the provider: Chromium checks that
        # redirect against form-action too.
        "form-action": [SELF, *([_origin(PSC_SERVER_URL)] if PSC_SERVER_URL else [])],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "maillage_language"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
# Served by the reverse proxy at scale (deploy/nginx/maillage.conf), filled by collectstatic.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Health documents (request attachments) live apart from MEDIA: never served by a web server,
# only through the application's access-checked, audited views.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail and SMS -------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "maillage.notifications.sms.LoggingSmsBackend")
SMS_SENDER = env_str("SMS_SENDER", "Maillage")
# MSSanté (secure health messaging): reports to the médecin traitant. The local backend keeps
# messages in the platform; SmtpMSSanteBackend talks to an operator (README, "MSSanté").
MSSANTE_BACKEND = env_str("MSSANTE_BACKEND", "maillage.notifications.mssante.LocalMSSanteBackend")
MSSANTE_SMTP_HOST = env_str("MSSANTE_SMTP_HOST")
MSSANTE_SMTP_PORT = env_int("MSSANTE_SMTP_PORT", 587, minimum=1)
MSSANTE_SENDER = env_str("MSSANTE_SENDER")
MSSANTE_CLIENT_CERT = env_str("MSSANTE_CLIENT_CERT")
MSSANTE_CLIENT_KEY = env_str("MSSANTE_CLIENT_KEY")
MSSANTE_CA_FILE = env_str("MSSANTE_CA_FILE")

# --- WebRTC ---------------------------------------------------------------------------------
# List of RTCIceServer dicts, e.g. [{"urls": "turn:turn.example.fr:3478", "username": "u",
# "credential": "p"}]. Empty means host candidates only (same network). See README: coturn.
WEBRTC_ICE_SERVERS = env_json("WEBRTC_ICE_SERVERS", [])
if not isinstance(WEBRTC_ICE_SERVERS, list) or not all(
    isinstance(server, dict) and "urls" in server for server in WEBRTC_ICE_SERVERS
):
    raise ImproperlyConfigured('WEBRTC_ICE_SERVERS must be a JSON list of {"urls": …} objects')
# Our own coturn (deploy/coturn/turnserver.conf, `use-auth-secret`): each participant gets a
# credential minted for them from the secret shared with coturn, valid TURN_CREDENTIAL_TTL_SECONDS
# (maillage/teleconsultation/turn.py). Long enough for a call, short enough to be useless leaked.
TURN_URLS = env_list("TURN_URLS")
if not all(url.startswith(("turn:", "turns:")) for url in TURN_URLS):
    raise ImproperlyConfigured("TURN_URLS must be comma-separated turn: or turns: URLs")
TURN_SHARED_SECRET = env_secret("TURN_SHARED_SECRET")
if TURN_URLS and not TURN_SHARED_SECRET:
    raise ImproperlyConfigured("TURN_URLS needs TURN_SHARED_SECRET (or TURN_SHARED_SECRET_FILE)")
TURN_CREDENTIAL_TTL_SECONDS = env_int("TURN_CREDENTIAL_TTL_SECONDS", 6 * 3600, minimum=60)

# --- Hosting declaration (REGULATION.md checklist E1) ----------------------------------------
HDS_HOSTING_DECLARATION = env_str("HDS_HOSTING_DECLARATION")

# --- Logging: never health data (STYLE rule 10) ----------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maillage.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Presidio logs each analysis at INFO: noise, and never to be trusted with clinical text.
        "presidio-analyzer": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Maillage --------------------------------------------------------------------------------
# Each ARS chooses 116 117 or 15 for the out-of-hours duty doctor (REGULATION.md §7).
PDSA_NUMBER = env_str("PDSA_NUMBER", "116 117")
MAILLAGE_SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)
