"""Backups an operator can restore: the database and the files, checked on the way back.

A backup is a directory: `database.dump` (PostgreSQL, `pg_dump` custom format) or
`database.sqlite3` (SQLite's online backup API), `files.tar.gz` (the private health documents
and the media), and `manifest.json` with every table's row count and each part's SHA-256.
Restoring verifies the checksums first, loads the database into an EMPTY target, unpacks the
files, then compares the restored row counts with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

DATABASE_DUMP = "database.dump"
DATABASE_SQLITE = "database.sqlite3"
FILES = "files.tar.gz"
MANIFEST = "manifest.json"
FILE_ROOTS = {"private": "PRIVATE_ROOT", "media": "MEDIA_ROOT"}


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why (no health data)."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _row_counts(cursor: Any, tables: list[str], quote: str = '"') -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote}{table}{quote}")  # noqa: S608  # names from the schema
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _our_tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def _program(name: str) -> str:
    """The PostgreSQL client program's full path (the client matching the server's version)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client programs are needed)")
    return path


def _database_url() -> str:
    """The database's address for pg_dump, without its password.

    The password travels in PGPASSWORD: never in the process list or an error message.
    """
    db = settings.DATABASES["default"]
    user = f"{db['USER']}@" if db.get("USER") else ""
    return f"postgresql://{user}{db.get('HOST') or ''}:{db.get('PORT') or 5432}/{db['NAME']}"


def _pg_environment() -> dict[str, str]:
    env = dict(os.environ)
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def make_backup(target: Path) -> Path:
    """Write a backup into a new directory under `target`; return that directory."""
    folder = target / f"maillage-{timezone.now():%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, exist_ok=False)
    tables = _our_tables()
    with connection.cursor() as cursor:
        counts = _row_counts(cursor, tables)
    if connection.vendor == "postgresql":
        dump = folder / DATABASE_DUMP
        result = subprocess.run(  # noqa: S603  # fixed program, arguments from settings
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                _database_url(),
            ],
            env=_pg_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    elif connection.vendor == "sqlite":
        dump = folder / DATABASE_SQLITE
        connection.ensure_connection()
        destination = sqlite3.connect(dump)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(f"no backup procedure for {connection.vendor}")
    files = 0
    with tarfile.open(folder / FILES, "w:gz") as archive:
        for name, setting in FILE_ROOTS.items():
            root = Path(getattr(settings, setting))
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    archive.add(path, arcname=f"{name}/{path.relative_to(root)}")
                    files += 1
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "tables": counts,
        "files": files,
        "sha256": {part.name: _sha256(part) for part in (dump, folder / FILES)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _verify(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"unreadable manifest in {folder}") from error
    for name, expected in manifest["sha256"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def _extract(folder: Path, files_root: Path) -> int:
    if files_root.exists() and any(files_root.iterdir()):
        raise BackupError(f"{files_root} is not empty: restore files into an empty directory")
    files_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / FILES, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        archive.extractall(files_root, members=members, filter="data")
    return len(members)


def restore_postgresql(folder: Path, *, database_url: str, files_root: Path) -> Restored:
    """Load a PostgreSQL backup into an empty database and its files under `files_root`."""
    import psycopg

    manifest = _verify(folder)
    if manifest["engine"] != "postgresql":
        raise BackupError("this backup is not a PostgreSQL one")
    with psycopg.connect(database_url) as target, target.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        row = cursor.fetchone()
        if row is not None and row[0]:
            raise BackupError("the target database is not empty: restore into a new database")
    result = subprocess.run(  # noqa: S603  # fixed program, arguments from the operator
        [
            _program("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={database_url}",
            str(folder / DATABASE_DUMP),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
    with psycopg.connect(database_url) as target, target.cursor() as cursor:
        counts = _row_counts(cursor, list(manifest["tables"]))
    return _compare(manifest, counts, _extract(folder, files_root))


def restore_sqlite(folder: Path, *, database_path: Path, files_root: Path) -> Restored:
    """Copy an SQLite backup to a new database file and its files under `files_root`."""
    manifest = _verify(folder)
    if manifest["engine"] != "sqlite":
        raise BackupError("this backup is not an SQLite one")
    if database_path.exists():
        raise BackupError(f"{database_path} exists: restore into a new file")
    source = sqlite3.connect(folder / DATABASE_SQLITE)
    target = sqlite3.connect(database_path)
    try:
        source.backup(target)
        counts = _row_counts(target.cursor(), list(manifest["tables"]))
    finally:
        source.close()
        target.close()
    return _compare(manifest, counts, _extract(folder, files_root))


def _compare(manifest: dict[str, Any], counts: dict[str, int], files: int) -> Restored:
    different = sorted(t for t, n in manifest["tables"].items() if counts.get(t) != n)
    if different:
        raise BackupError(
            f"restored row counts differ for {len(different)} tables: {different[:5]}"
        )
    if files != manifest["files"]:
        raise BackupError(f"{files} files restored, {manifest['files']} expected")
    return Restored(tables=len(counts), rows=sum(counts.values()), files=files)
