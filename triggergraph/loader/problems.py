"""Pydantic validation errors mapped to problems naming file, line, field and value, with suggestions."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel

from ..exceptions import Problem
from ..models import Source
from .positions import _LineMap, _PathKey, format_path

#: Error types raised by the models whose message already names the bad value.
MODEL_ERROR_TYPES: frozenset[str] = frozenset(
    {
        "unknown_id",
        "not_finite",
        "ci_order",
        "out_of_range",
        "measure_missing",
        "duplicate",
        "self_overlap",
        "wrong_type",
    }
)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``list[Model] | None`` and friends."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _model_at(path: _PathKey) -> type[BaseModel] | None:
    """The entry model that holds the mapping at ``path`` (``Source`` at the top)."""
    model: type[BaseModel] | None = Source
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_of(field.annotation) if field is not None else None
    return model


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _strip_hint(message: str) -> str:
    """Drop the model's own "did you mean" tail; :class:`Problem` prints the suggestions."""
    return re.sub(r";\s*did you mean .*\?$", "", message)


def _refine_location(error: dict, data: Any) -> _PathKey:
    """Point model-level errors at the field they are about."""
    loc: _PathKey = tuple(error["loc"])
    kind = error["type"]
    message = error["msg"]
    below = (error.get("ctx") or {}).get("loc")
    if below:
        # The model named the part it is about (see ``models._error``).
        return (*loc, *below)
    if kind in ("out_of_range", "not_finite"):
        name = message.split(" ", 1)[0]
        if name in ("value", "ci"):
            return (*loc, name)
    if kind == "ci_order":
        return (*loc, "ci")
    if kind == "self_overlap":
        return (*loc, "overlaps_with")
    if kind == "duplicate" and loc == () and isinstance(data, dict):
        match = re.search(r"finding id '([^']*)'", message)
        findings = data.get("findings")
        if match and isinstance(findings, list):
            hits = [
                i
                for i, f in enumerate(findings)
                if isinstance(f, dict) and str(f.get("id")) == match.group(1)
            ]
            if len(hits) > 1:
                return ("findings", hits[1], "id")
    if kind == "duplicate" and "driver is linked twice" in message:
        return (*loc, "drivers")
    value = error.get("input")
    if kind == "unknown_id" and isinstance(value, list):
        # A list validator reports the whole list; point at the item it rejected.
        for index, item in enumerate(value):
            if message.startswith(repr(item) + " "):
                return (*loc, index)
    return loc


def _problem_from_error(error: dict, data: Any, lines: _LineMap, filename: str) -> Problem:
    kind = error["type"]
    path = _refine_location(error, data)
    suggestions = tuple((error.get("ctx") or {}).get("suggestions") or ())
    value = error.get("input")
    if kind == "missing":
        return Problem(
            filename, lines.start_of(path[:-1]), format_path(path), "required field is missing"
        )
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        valid = sorted(model.model_fields) if model is not None else []
        close = tuple(difflib.get_close_matches(str(path[-1]), valid, n=3, cutoff=0.6))
        message = f"unknown field {str(path[-1])!r}"
        if not close and valid:
            message += "; valid fields: " + ", ".join(valid)
        return Problem(filename, lines.line_of(path), format_path(path), message, close)
    if kind in MODEL_ERROR_TYPES:
        message = _strip_hint(error["msg"]) if suggestions else error["msg"]
    else:
        detail = error["msg"]
        detail = detail[:1].lower() + detail[1:]
        message = f"{_short_repr(value)} is not valid: {detail}"
    return Problem(filename, lines.line_of(path), format_path(path), message, suggestions)
