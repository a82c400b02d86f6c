"""Embedded mode: one process tree on a laptop, SQLite, in-memory channel layer (`make run`)."""

import os

os.environ.setdefault("MAILLAGE_EMBEDDED", "1")

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, VAR_DIR
from maillage.core.env import env_bool

DEBUG = env_bool("DEBUG", True)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Passkeys need a secure origin; http://localhost is accepted only with this flag.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = BASE_DIR / "staticfiles"
