"""The one exception tree of triggergraph.

::

    TriggergraphError
    ├── EntryError            bad literature entry (YAML/JSON/BibTeX/RIS), carries all problems
    ├── NotFoundError         unknown factor, driver, source, finding ... id
    ├── ConflictError         an id that already exists, or a write that would overwrite another
    │   └── PreconditionFailedError the store changed since the writer looked (HTTP 412)
    ├── AuthError             missing or wrong write token, or writes not enabled
    ├── QueryError            malformed, forbidden (update, SERVICE) or failed SPARQL
    │   ├── QueryLimitError   refused before it ran: over a documented limit (length, depth, ...)
    │   │   └── QueryUriTooLongError a GET query longer than a URL may carry (HTTP 414)
    │   ├── ResultLimitError  the answer is longer than the result limit (not worth retrying)
    │   ├── QueryTimeoutError time limit exceeded, or no query worker free (worth retrying)
    │   └── TooManyQueriesError this client already has the most queries waiting (HTTP 429)
    ├── StoreError            the store failed
    │   └── StoreUnavailableError the store cannot be reached (HTTP 503)
    ├── ConfigError           settings that cannot work
    └── SnapshotError         a saved read model that cannot be used (it is rebuilt, never served)

``api/`` maps each class to one HTTP status in a single handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One validation problem, located as precisely as we can.

    Examples
    --------
    >>> str(Problem("literature/x.yaml", 14, "findings[2].factor", "'radical_frends' is not a factor",
    ...             suggestions=("radical_friends",)))
    "literature/x.yaml:14 findings[2].factor: 'radical_frends' is not a factor; did you mean 'radical_friends'?"
    """

    file: str | None
    line: int | None
    field: str
    message: str
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        where = self.file or "<entry>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where} {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.suggestions:
            quoted = " or ".join(repr(s) for s in self.suggestions)
            text += f"; did you mean {quoted}?"
        return text

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "suggestions": list(self.suggestions),
        }


class TriggergraphError(Exception):
    """Root of every error triggergraph raises on purpose."""


class EntryError(TriggergraphError):
    """One or more problems in literature entries; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid entry")


class NotFoundError(TriggergraphError):
    """An id that does not exist; ``suggestions`` holds close ids."""

    def __init__(self, kind: str, ident: str, suggestions: list[str] | None = None):
        self.kind = kind
        self.ident = ident
        self.suggestions = list(suggestions or [])
        msg = f"unknown {kind} {ident!r}"
        if self.suggestions:
            msg += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(msg)


class ConflictError(TriggergraphError):
    """A write that would overwrite something it must not."""


class PreconditionFailedError(ConflictError):
    """A conditional write whose precondition (the revision the writer saw) no longer holds."""


class AuthError(TriggergraphError):
    """A write without the right to write."""


class QueryError(TriggergraphError):
    """A SPARQL query that is malformed, forbidden or failed."""


class QueryLimitError(QueryError):
    """A query refused before it ran because it breaks one limit; ``limit`` names the setting."""

    def __init__(self, message: str, limit: str = ""):
        self.limit = limit
        super().__init__(message)


class QueryUriTooLongError(QueryLimitError):
    """A query sent in a GET URL that is longer than the endpoint takes there."""


class ResultLimitError(QueryError):
    """An answer longer than the result limit: the same query would fail again."""


class QueryTimeoutError(QueryError):
    """A SPARQL query that ran past the time limit, or found no free worker in time."""


class TooManyQueriesError(QueryError):
    """A client that already has as many queries running or waiting as it may."""


class StoreError(TriggergraphError):
    """The store failed to do what was asked."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached right now."""


class ConfigError(TriggergraphError):
    """Settings that cannot work together."""


class SnapshotError(TriggergraphError):
    """A saved read model that cannot be used; ``reason`` says why, in one line.

    Caught where the read model is restored: the model is then rebuilt from the store.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
