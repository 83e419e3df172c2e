"""The audit key file (审计密钥文件): the secret keys the audit chain is signed with, kept outside the database.

Plain Python (no Django): ``config/env.py`` validates the file at start-up and ``fazhi.audit.keys`` reads it
again when it changes (a key rotated by ``fazhi audit rotate-key`` is used by every process at once).

Format — one key a line, blank lines and ``#`` comments ignored::

    # key id   secret (hex, at least 32 bytes)
    2026a      6f1c…(64 or more hex digits)
    2026b      91ad…

The **last** line is the key new rows are signed with; the earlier ones stay to verify the rows they signed.
Rules: ids are 1–32 letters, digits, ``-`` or ``_`` and unique; a secret is at least 32 bytes of hex; the file
must not be readable by everyone (``chmod 600``) — a key others can read signs nothing.
"""

from __future__ import annotations

import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MIN_SECRET_BYTES = 32


class KeyFileError(ValueError):
    """The key file is missing, unreadable, readable by everyone or malformed (the message says where)."""


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes

    def __repr__(self) -> str:  # never print a secret
        return f"AuditKey({self.key_id!r})"


def parse_keys(text: str, source: str = "key file") -> tuple[AuditKey, ...]:
    """The keys of ``text`` in file order; ``KeyFileError`` naming the line of the first problem."""
    keys: list[AuditKey] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise KeyFileError(f"{source} line {number}: expected 'KEY_ID SECRET_HEX'")
        key_id, secret_hex = parts
        if not KEY_ID.match(key_id):
            raise KeyFileError(f"{source} line {number}: key id {key_id[:40]!r} must be 1-32 letters, digits, - or _")
        if key_id in seen:
            raise KeyFileError(f"{source} line {number}: key id {key_id!r} appears twice")
        try:
            secret = bytes.fromhex(secret_hex)
        except ValueError:
            raise KeyFileError(f"{source} line {number}: the secret is not hexadecimal") from None
        if len(secret) < MIN_SECRET_BYTES:
            raise KeyFileError(f"{source} line {number}: the secret has {len(secret)} bytes, "
                               f"at least {MIN_SECRET_BYTES} are needed")
        seen.add(key_id)
        keys.append(AuditKey(key_id, secret))
    if not keys:
        raise KeyFileError(f"{source}: no key in the file")
    return tuple(keys)


def read_key_file(path: Path) -> tuple[AuditKey, ...]:
    """Read and check ``path`` (exists, not world-readable, well-formed)."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if mode & stat.S_IROTH:
        raise KeyFileError(f"{path} is readable by everyone; run chmod 600 {path}")
    return parse_keys(text, str(path))


def new_key_line(key_id: str) -> str:
    """A fresh line for the key file: ``key_id`` and 32 random bytes in hex."""
    if not KEY_ID.match(key_id):
        raise KeyFileError(f"key id {key_id[:40]!r} must be 1-32 letters, digits, - or _")
    return f"{key_id} {secrets.token_hex(MIN_SECRET_BYTES)}\n"
