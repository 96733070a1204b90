"""The entry format: pydantic models for a literature source and its findings.

Controlled values (factor, driver, demographic and scale ids) are checked against the
vocabulary read from ``ontology/``, passed in the validation context::

    Source.model_validate(data, context={"vocabulary": vocab})

Without a vocabulary in the context only the structure and ranges are checked.
"""

from .doi import duplicate_doi_problems, normalise_doi
from .effect import Effect
from .fields import (
    DOI_PATTERN,
    FINDING_ID_PATTERN,
    IRI_UNSAFE,
    MEASURE_RANGES,
    SOURCE_ID_PATTERN,
    Day,
    EntryModel,
    FindingId,
    Number,
    ShortText,
    SourceId,
    Text,
    Url,
    Whole,
    agent_key,
)
from .finding import DriverLink, Finding
from .source import CitedWork, ContextNote, Source, dump_entry

__all__ = [
    "CitedWork",
    "ContextNote",
    "DOI_PATTERN",
    "Day",
    "DriverLink",
    "Effect",
    "EntryModel",
    "FINDING_ID_PATTERN",
    "Finding",
    "FindingId",
    "IRI_UNSAFE",
    "MEASURE_RANGES",
    "Number",
    "SOURCE_ID_PATTERN",
    "ShortText",
    "Source",
    "SourceId",
    "Text",
    "Url",
    "Whole",
    "agent_key",
    "dump_entry",
    "duplicate_doi_problems",
    "normalise_doi",
]
