"""Where photos and documents received in chat are kept: a local folder, content-addressed.

A file's key is the SHA-256 of its bytes plus a short extension taken from its name
(``3f2a…9c.jpg``): the same photo sent twice is stored once, and a key can be checked with a regular
expression before it touches the file system, so a key read back from the database or a button can
never name a path outside the folder. Files sit in ``<root>/<first two hex digits>/<key>``.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path

_KEY = re.compile(r"^[0-9a-f]{64}(\.[a-z0-9]{1,8})?$")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")


class FileNotStored(KeyError):
    """No file under this key (or the key is not one of ours)."""


def file_key(data: bytes, name: str = "") -> str:
    """The key ``data`` is stored under: its SHA-256, plus the lower-cased extension of ``name`` if any."""
    digest = hashlib.sha256(data).hexdigest()
    match = _EXTENSION.search(name or "")
    return f"{digest}.{match.group(1).lower()}" if match else digest


def is_file_key(key: str) -> bool:
    return bool(_KEY.match(key))


class FileStore:
    """Content-addressed files under ``root`` (``settings.data_dir / "files"``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not is_file_key(key):
            raise FileNotStored(key)
        return self.root / key[:2] / key

    async def put(self, data: bytes, name: str = "") -> str:
        """Store ``data`` and return its key; storing the same bytes again is a no-op."""
        key = file_key(data, name)
        await asyncio.to_thread(self._write, self.path(key), data)
        return key

    async def get(self, key: str) -> bytes:
        path = self.path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise FileNotStored(key) from None

    def exists(self, key: str) -> bool:
        return is_file_key(key) and self.path(key).is_file()

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename: a reader never sees half a file, two writers of the same key end the same
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
