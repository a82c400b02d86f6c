"""Test settings: the embedded mode made fast and deterministic."""

import os

from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES, MIDDLEWARE, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "maillage.notifications.sms.LocmemSmsBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "notifications"],
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the browser tests' server thread must see committed rows.
    # One file per process, so that two suites on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A second database on the same server stands for the read replica. Only the tests that
    # declare it (databases={"default", "replica"}) have it created, with the full schema.
    DATABASES["replica"] = {
        **DATABASES["default"],
        "NAME": f"{DATABASES['default']['NAME']}_replica",
        "OPTIONS": {},
    }
# The replica router is switched on by the tests that exercise it, never for the whole suite.
DATABASE_ROUTERS = []
MIDDLEWARE = [name for name in MIDDLEWARE if name != "maillage.core.db_router.ReplicaMiddleware"]
