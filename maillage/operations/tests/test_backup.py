"""A backup restores into a fresh database and files directory, and what comes back matches:
the row counts of every table and the bytes of every file. A damaged backup is refused."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from maillage.accounts.models import User
from maillage.operations.backup import (
    BackupError,
    make_backup,
    restore_postgresql,
    restore_sqlite,
)
from maillage.records import services as records
from maillage.records.models import RecordEntry

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n% compte rendu\n%%EOF"


def _some_data(patient: User) -> RecordEntry:
    with transaction.atomic():
        return records.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.SHARED_FILE,
            title="Bilan sanguin",
            body="Résultats dans les normes.",
            source_type="tests.source",
            source_id=uuid.uuid4(),
            document=PDF,
            file_name="bilan.pdf",
            content_type="application/pdf",
            extension=".pdf",
        )


@pytest.fixture
def roots(tmp_path: Path) -> Path:
    """The files directories as a deployment has them (the test settings keep files in
    memory): a health document under the private root, a logo under the media root."""
    (tmp_path / "private" / "records" / "abc").mkdir(parents=True)
    (tmp_path / "private" / "records" / "abc" / "bilan.pdf").write_bytes(PDF)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "logo.txt").write_bytes(b"logo")
    return tmp_path


def _restored_file(files_root: Path) -> bytes:
    return (files_root / "private" / "records" / "abc" / "bilan.pdf").read_bytes()


def _restores_into_a_new_sqlite_file(patient: User, roots: Path, tmp_path: Path) -> None:
    entry = _some_data(patient)
    with override_settings(PRIVATE_ROOT=roots / "private", MEDIA_ROOT=roots / "media"):
        folder = make_backup(tmp_path / "backups")
    restored = restore_sqlite(
        folder, database_path=tmp_path / "restored.sqlite3", files_root=tmp_path / "files"
    )
    assert restored.files == 2
    assert _restored_file(tmp_path / "files") == PDF
    copy = sqlite3.connect(tmp_path / "restored.sqlite3")
    try:
        title = copy.execute(
            "SELECT title FROM records_recordentry WHERE id = ?", [entry.pk]
        ).fetchone()
    finally:
        copy.close()
    assert title == ("Bilan sanguin",)


def _restores_into_a_new_postgresql_database(patient: User, roots: Path, tmp_path: Path) -> None:
    entry = _some_data(patient)
    with override_settings(PRIVATE_ROOT=roots / "private", MEDIA_ROOT=roots / "media"):
        folder = make_backup(tmp_path / "backups")
    name = f"maillage_restore_{uuid.uuid4().hex[:8]}"
    admin = settings.DATABASES["default"]
    base = f"postgresql://{admin.get('USER') or 'postgres'}@{admin.get('HOST')}:{admin.get('PORT') or 5432}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        restored = restore_postgresql(
            folder, database_url=f"{base}/{name}", files_root=tmp_path / "files"
        )
        assert restored.files == 2
        assert _restored_file(tmp_path / "files") == PDF
        with psycopg.connect(f"{base}/{name}") as copy:
            title = copy.execute(
                "SELECT title FROM records_recordentry WHERE id = %s", [entry.pk]
            ).fetchone()
        assert title == ("Bilan sanguin",)
        with pytest.raises(BackupError, match="not empty"):
            restore_postgresql(folder, database_url=f"{base}/{name}", files_root=tmp_path / "x")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_new_database_and_files_directory(
    patient: User, roots: Path, tmp_path: Path
) -> None:
    """On the engine the suite runs on: SQLite in `make test`, PostgreSQL in `make ci`."""
    if connection.vendor == "postgresql":
        _restores_into_a_new_postgresql_database(patient, roots, tmp_path)
    else:
        _restores_into_a_new_sqlite_file(patient, roots, tmp_path)


def test_a_damaged_backup_is_refused(patient: User, roots: Path, tmp_path: Path) -> None:
    with override_settings(PRIVATE_ROOT=roots / "private", MEDIA_ROOT=roots / "media"):
        folder = make_backup(tmp_path / "backups")
    (folder / "files.tar.gz").write_bytes(b"damaged")
    with pytest.raises(CommandError, match="checksum"):
        call_command(
            "restore",
            str(folder),
            "--files-to",
            str(tmp_path / "files"),
            "--sqlite-path",
            str(tmp_path / "restored.sqlite3"),
        )
