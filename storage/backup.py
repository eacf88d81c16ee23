"""Backup and restore of the database and the uploaded files (``dms backup FILE`` / ``dms restore FILE``).

- SQLite: the sqlite3 online backup API copies the database page by page into ``FILE`` (consistent even
  while the app writes); restoring copies ``FILE`` back over the database the same way.
- PostgreSQL: ``pg_dump --format=custom`` into ``FILE`` and ``pg_restore --clean --if-exists --no-owner
  --single-transaction`` back (the client programs must be installed and match the server's major version
  or be newer). The SQLAlchemy URL is turned into a libpq URL; the password goes through ``PGPASSWORD``, never
  onto the command line.
- The uploaded files folder (``DATA_DIR/files``: photos, documents, signed contracts) goes into
  ``FILE.files.tar.gz`` next to ``FILE``; a restore replaces the folder with the archive's content.

Personal data stays encrypted inside the backup: a restore needs the same ``DATA_ENCRYPTION_KEYS`` (keep the
keys apart from the backups). Restore into a stopped app: running processes keep their connections.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

__all__ = ["BackupError", "BackupResult", "backup", "files_archive_path", "libpq_url", "restore"]


class BackupError(Exception):
    """A backup or restore could not be done (message in Chinese and English)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class BackupResult:
    database_file: Path
    files_archive: Path | None
    database_bytes: int
    files_count: int


def files_archive_path(target: Path) -> Path:
    """The uploaded files go next to the database backup: ``FILE.files.tar.gz``."""
    return target.with_name(target.name + ".files.tar.gz")


def libpq_url(url: str | URL) -> tuple[str, dict[str, str]]:
    """``postgresql+asyncpg://u:pw@h:5432/db`` -> (``postgresql://u@h:5432/db``, ``{"PGPASSWORD": "pw"}``)."""
    parsed = make_url(url) if isinstance(url, str) else url
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                       database=parsed.database,
                       query={k: v for k, v in parsed.query.items() if k != "prepared_statement_cache_size"})
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份", "an in-memory database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"找不到 {args[0]}，请安装 PostgreSQL 客户端", f"{args[0]} not found: install the "
                          "PostgreSQL client programs")
    done = subprocess.run(args, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise BackupError(f"{args[0]} 失败：{detail[0]}", f"{args[0]} failed: {detail[0]}")


def _archive_files(files_dir: Path | None, archive: Path) -> tuple[Path | None, int]:
    if files_dir is None or not files_dir.is_dir():
        archive.unlink(missing_ok=True)
        return None, 0
    count = 0
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(files_dir.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(files_dir)), recursive=False)
            count += path.is_file()
    return archive, count


def _restore_files(archive: Path, files_dir: Path) -> int:
    """Unpack into a sibling folder first, then swap it in, so a broken archive leaves the old files alone."""
    files_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=files_dir.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")   # refuses absolute paths, .. and links out of the folder
        if files_dir.exists():
            shutil.rmtree(files_dir)
        staging.rename(files_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sum(1 for p in files_dir.rglob("*") if p.is_file())


def _backup_sync(url: URL, target: Path, files_dir: Path | None) -> BackupResult:
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"数据库文件不存在：{source}", f"no database file at {source}")
        target.unlink(missing_ok=True)
        _sqlite_copy(source, target)
    elif url.get_backend_name() == "postgresql":
        dsn, env = libpq_url(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), "--dbname", dsn], env)
    else:
        raise BackupError(f"不支持的数据库：{url.get_backend_name()}", f"unsupported database: {url.get_backend_name()}")
    archive, count = _archive_files(files_dir, files_archive_path(target))
    return BackupResult(target, archive, target.stat().st_size, count)


def _restore_sync(url: URL, source: Path, files_dir: Path | None) -> BackupResult:
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}", f"no backup file at {source}")
    if url.get_backend_name() == "sqlite":
        with source.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise BackupError("这不是 SQLite 备份文件", "not a SQLite backup file")
        database = _sqlite_path(url)
        database.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, database)
    elif url.get_backend_name() == "postgresql":
        dsn, env = libpq_url(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
              "--dbname", dsn, str(source)], env)
    else:
        raise BackupError(f"不支持的数据库：{url.get_backend_name()}", f"unsupported database: {url.get_backend_name()}")
    archive = files_archive_path(source)
    count = 0
    if files_dir is not None and archive.is_file():
        count = _restore_files(archive, files_dir)
    return BackupResult(source, archive if archive.is_file() else None, source.stat().st_size, count)


async def backup(url: str, target: Path, files_dir: Path | None = None) -> BackupResult:
    """Back up the database at ``url`` into ``target`` (and ``files_dir`` into ``target.files.tar.gz``)."""
    return await asyncio.to_thread(_backup_sync, make_url(url), target, files_dir)


async def restore(url: str, source: Path, files_dir: Path | None = None) -> BackupResult:
    """Replace the database at ``url`` (and ``files_dir``) with the backup ``source``; the app must be stopped."""
    return await asyncio.to_thread(_restore_sync, make_url(url), source, files_dir)
