"""The counter's files are readable by their owner only: they hold the device secret, staff
password hashes and visitors' phone numbers, and a counter PC often has other accounts.

New files 0600, new directories 0700; an existing file (or the app's own data directory)
loses its group and other bits and keeps its owner's. SQLite makes its ``-wal`` and
``-shm`` files with the mode of the database file, so they follow.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """Make ``path`` and its missing parents with mode 0700 (an existing one is left as it is:
    it may be the user's home; see ``restrict``)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for made in missing:
        os.chmod(made, DIR_MODE)


def private_file(path: Path) -> None:
    """Create ``path`` with mode 0600 if it is missing; else restrict it and its SQLite companions."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, FILE_MODE))
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        restrict(p)


def restrict(path: Path) -> None:
    """Drop the group and other bits of a file or directory this user owns."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(path, info.st_mode & 0o700)
