"""Tests of the exception tree and problem messages."""

from __future__ import annotations

from triggergraph import exceptions as exc


def test_every_error_derives_from_root():
    for name in (
        "EntryError",
        "NotFoundError",
        "ConflictError",
        "AuthError",
        "QueryError",
        "QueryTimeoutError",
        "QueryLimitError",
        "QueryUriTooLongError",
        "ResultLimitError",
        "TooManyQueriesError",
        "StoreError",
        "StoreUnavailableError",
        "ConfigError",
    ):
        assert issubclass(getattr(exc, name), exc.TriggergraphError), name


def test_entry_error_lists_all_problems():
    problems = [exc.Problem("a.yaml", 3, "year", "bad"), exc.Problem("b.yaml", None, "", "worse")]
    error = exc.EntryError(problems)
    assert str(error).splitlines() == ["a.yaml:3 year: bad", "b.yaml: worse"]


def test_not_found_error_names_id_and_suggestions():
    error = exc.NotFoundError("factor", "detentoin", ["detention"])
    assert str(error) == "unknown factor 'detentoin'; did you mean 'detention'?"
