"""The entry form's service calls: start a draft from a paste, check it, search terms, submit it."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from ..constructs import search_terms
from ..drafts import FORM_FILE, check_draft, draft_from_paste
from ..exceptions import EntryError, Problem

if TYPE_CHECKING:
    from ..models import Source
    from ..vocabulary import Vocabulary
    from .writes import WriteResult


class Drafting:
    """Mixed into :class:`EvidenceService`; every method works on the current sources."""

    vocabulary: Vocabulary
    sources_by_id: dict[str, Source]

    def start_draft(self, paste: str, added_by: str, today: date | None = None) -> dict[str, Any]:
        """A draft from a pasted DOI, BibTeX or RIS record (see :func:`draft_from_paste`)."""
        return draft_from_paste(paste, added_by=added_by, today=today or date.today())

    def check_draft(self, draft: dict[str, Any], replacing: str | None = None) -> dict[str, Any]:
        """The problems, no-cell warnings and likely duplicates of a draft; ``replacing`` is
        the id of the source the draft edits or codes again, if any."""
        return check_draft(draft, self.vocabulary, self.sources_by_id.values(), replacing=replacing)

    def search_terms(self, query: str | None, lang: str = "en") -> list[dict]:
        """Trigger factors and constructs for the factor picker."""
        return search_terms(self.vocabulary, query, lang)

    def submit_draft(self, draft: dict[str, Any]) -> WriteResult:
        """Propose the draft as a new source through the write path of ``POST /api/v1/sources``.

        Like every web write it is *proposed*: it changes no public answer until a curator
        publishes it (``POST /api/v1/sources/{id}/publish`` or the review queue).

        Raises
        ------
        EntryError
            The problems :meth:`check_draft` finds (validate's errors included); nothing is
            written.
        """
        problems = self.check_draft(draft)["problems"]
        if problems:
            raise EntryError(
                [
                    Problem(FORM_FILE, None, p["field"], p["message"], tuple(p["suggestions"]))
                    for p in problems
                ]
            )
        return self.create_source(  # type: ignore[attr-defined] - SourceWrites
            json.dumps(draft).encode("utf-8"),
            "application/json",
            by=draft.get("added_by"),
            why="entered with the web form",
            publish=False,
        )
