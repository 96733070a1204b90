"""Tests of the one error mapping: every triggergraph error class to its HTTP status and JSON body."""

from __future__ import annotations

import pytest

from api.errors import WriteForbiddenError, error_body, status_of
from triggergraph.exceptions import (
    AuthError,
    ConfigError,
    ConflictError,
    EntryError,
    NotFoundError,
    Problem,
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
    TriggergraphError,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (EntryError([Problem("f.yaml", 3, "year", "not a year")]), 422),
        (NotFoundError("factor", "x", ["y"]), 404),
        (ConflictError("exists"), 409),
        (AuthError("wrong token"), 401),
        (WriteForbiddenError("writes off"), 403),
        (QueryError("bad"), 400),
        (QueryTimeoutError("slow"), 503),
        (StoreUnavailableError("down"), 503),
        (StoreError("failed"), 503),
        (ConfigError("bad settings"), 500),
    ],
)
def test_status_of_each_error_class(error, status):
    assert status_of(error) == status


def test_status_of_covers_every_error_subclass():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in subclasses(TriggergraphError):
        if cls is ConfigError or cls.__module__ != "triggergraph.exceptions":
            continue
        error = cls.__new__(cls)
        Exception.__init__(error, "x")
        # a class left out of the table would fall through to 500
        assert status_of(error) != 500, cls


def test_error_body_of_entry_error_lists_problems():
    body = error_body(EntryError([Problem("f.yaml", 3, "year", "not a year", ("2020",))]))
    assert body["error"] == "EntryError"
    assert body["problems"] == [
        {
            "file": "f.yaml",
            "line": 3,
            "field": "year",
            "message": "not a year",
            "suggestions": ["2020"],
        }
    ]


def test_error_body_of_not_found_names_id_and_suggestions():
    body = error_body(NotFoundError("driver", "justice_seekr", ["justice_seeker"]))
    assert body["id"] == "justice_seekr" and body["kind"] == "driver"
    assert body["suggestions"] == ["justice_seeker"]
    assert "justice_seeker" in body["detail"]
