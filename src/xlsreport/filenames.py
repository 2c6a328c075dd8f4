"""File names made from a body's name: safe on Windows and elsewhere, never leaving their folder."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .places import INVISIBLE

NAME_BYTES = 150  # the most a name made by safe_name takes, in UTF-8
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)


def safe_name(text: str) -> str:
    """A file name made from a body's name that stays inside its folder on Windows and elsewhere."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", text).translate(INVISIBLE)).strip(" .")
    if not name or _RESERVED.match(name) or set(name) <= {"_", "."}:
        name = f"_{name}"
    if len(name.encode()) <= NAME_BYTES:
        return name
    # file systems count bytes (255, with the suffix and the temporary file's prefix); a Chinese character
    # takes three. A name cut short ends with a digest of the whole, so two long names never meet.
    tag = "~" + hashlib.sha256(name.encode()).hexdigest()[:8]
    while len(name.encode()) > NAME_BYTES - len(tag):
        name = name[:-1]
    return name.rstrip(" .") + tag
