"""The content hash of ``literature/`` remembered by the folder's stamp, across restarts."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

LOG = logging.getLogger("triggergraph")

#: The memo's file name, beside the saved read model.
STAMP_MEMO = "literature-stamp.json"


def stamp_digest(directory: Path, stamp: tuple) -> str:
    """A short digest of a folder's path and stamp (:func:`.literature.literature_stamp`).

    Examples
    --------
    >>> a = stamp_digest(Path("/lit"), (("a.yaml", 1, 10, 5, 5),))
    >>> a == stamp_digest(Path("/lit"), (("a.yaml", 1, 10, 5, 5),))
    True
    >>> a == stamp_digest(Path("/lit"), (("a.yaml", 1, 10, 5, 6),))
    False
    """
    text = repr((str(Path(directory).resolve()), stamp))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remembered_hash(memo: Path | None, directory: Path, stamp: tuple) -> str | None:
    """The content hash remembered for ``stamp``, or None (no memo, another stamp, unreadable).

    Every file's name, inode, size and change times are in the stamp, so a file written,
    added, removed or replaced since gives another digest, and the folder is hashed again.
    """
    if memo is None:
        return None
    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp_digest(directory, stamp):
        return None
    found = data.get("hash")
    return found if isinstance(found, str) and found else None


def remember_hash(memo: Path | None, directory: Path, stamp: tuple, content_hash: str) -> None:
    """Keep ``content_hash`` for ``stamp`` (the stamp taken before the folder was hashed).

    A failure to write is logged and otherwise ignored: the next start hashes the folder.
    """
    if memo is None:
        return
    text = json.dumps({"stamp": stamp_digest(directory, stamp), "hash": content_hash})
    partial = memo.with_name(memo.name + ".partial")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, memo)
    except OSError as error:
        LOG.warning("could not remember the literature hash in %s: %s", memo, error)


__all__ = ["STAMP_MEMO", "remember_hash", "remembered_hash", "stamp_digest"]
