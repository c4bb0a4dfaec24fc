"""How much content the trainer reads, and from where: regular files inside the content directory,
of bounded size, nesting and item count.

Content comes from a repository, and git stores symlinks: the reliability review pointed a
``.yaml`` link at ``/etc/shadow`` (its lines were shown to every visitor), at ``/dev/zero``
(the checker grew to 11 GB) and made a FIFO (the Study page hung), and a 20,000-level nested
list took the whole app down. So a file is read only when

- it is a regular file (``os.stat`` says so *before* it is opened: opening a FIFO blocks), and
  it is opened with ``O_NONBLOCK`` and checked again on the open descriptor, so a file swapped
  for a FIFO in between cannot block either;
- a symlink among it and its folders resolves to a place inside the content directory;
- it is at most ``TRAINER_CONTENT_MAX_FILE_MB`` (default 4 MB; the largest file of the shipped
  bank is about 30 kB), and all files together at most ``TRAINER_CONTENT_MAX_TOTAL_MB``
  (default 64 MB); reading stops one byte past the limit, whatever the size the file claims;
- its YAML nests at most :data:`MAX_DEPTH` levels and holds at most :data:`MAX_NODES` values
  (see ``trainer.content.yamlfile``).

Each refusal is one problem line for that file; the file's content is never quoted.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_FILE_MB = 4.0
DEFAULT_MAX_TOTAL_MB = 64.0
MAX_DEPTH = 32  # a card is about 5 levels deep (cards, card, references, reference, url)
MAX_NODES = 500_000  # about 15,000 cards in one file, at some 30 values a card

FILE_LIMIT_VAR = "TRAINER_CONTENT_MAX_FILE_MB"
TOTAL_LIMIT_VAR = "TRAINER_CONTENT_MAX_TOTAL_MB"
_MB = 1024 * 1024


class RefusedFile(Exception):
    """A file the trainer will not read; the message says why, without quoting the file."""


@dataclass(frozen=True)
class ContentLimits:
    max_file_bytes: int
    max_total_bytes: int

    @classmethod
    def from_env(cls) -> ContentLimits:
        """The limits from the environment; a missing or unusable value means the default."""
        return cls(
            max_file_bytes=int(_megabytes(FILE_LIMIT_VAR, DEFAULT_MAX_FILE_MB) * _MB),
            max_total_bytes=int(_megabytes(TOTAL_LIMIT_VAR, DEFAULT_MAX_TOTAL_MB) * _MB),
        )


def _megabytes(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if 0 < value < 1e6 else default


def _mb(size: int) -> str:
    return f"{size / _MB:,.1f} MB"


def check_place(path: Path, root: Path | None) -> Path:
    """The file to open: ``path`` itself, or where its links lead when that is inside ``root``.

    Raises RefusedFile for a link out of the content directory and for anything that is not a
    regular file (a FIFO, a device, a socket, a folder), before anything is opened.
    """
    try:
        target = path.resolve(strict=True)
        info = os.stat(target)
    except FileNotFoundError:
        raise RefusedFile("cannot read file: no such file (or a link to nothing)") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop on older Pythons
        raise RefusedFile(f"cannot read file: {getattr(exc, 'strerror', None) or 'link loop'}") from None
    if root is not None:
        base = root.resolve()
        if not target.is_relative_to(base):
            raise RefusedFile(
                "is a link to a file outside the content directory; only files inside it are read"
            )
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile("is not a regular file (a FIFO, device, socket or folder); it is not read")
    return target


def read_text(path: Path, root: Path | None, max_bytes: int) -> str:
    """The UTF-8 text of one content file, read within the rules above."""
    target = check_place(path, root)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise RefusedFile(f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped after the check above
            raise RefusedFile("is not a regular file (a FIFO, device, socket or folder); it is not read")
        if info.st_size > max_bytes:
            raise RefusedFile(_too_big(info.st_size, max_bytes))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedFile(_too_big(len(data), max_bytes))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefusedFile(f"cannot read file: it is not UTF-8 text (byte {exc.start})") from None


def _too_big(size: int, limit: int) -> str:
    return (
        f"is {_mb(size)}, more than the {_mb(limit)} a content file may have "
        f"(split it, or raise {FILE_LIMIT_VAR})"
    )


def over_total(total: int, limits: ContentLimits) -> str | None:
    """The problem line once the files read so far pass the total limit, else None."""
    if total <= limits.max_total_bytes:
        return None
    return (
        f"not read: the content files together pass {_mb(limits.max_total_bytes)} "
        f"(raise {TOTAL_LIMIT_VAR} if the bank really is that large)"
    )
