"""Literature entries: ``literature/*.yaml`` and JSON bodies to ``Source`` models, with file:line errors.

The package owns reading and writing entries:

- ``parse``: YAML and JSON text to data and node tree, refusing aliases and duplicate keys;
- ``positions``: the line of every key and item, and dotted field paths;
- ``problems``: validation errors mapped to file, line, field and value, with suggestions;
- ``entry``: one entry's text to a validated ``Source``;
- ``folder``: a literature folder, its cross-file checks and its hash;
- ``writer``: ``Source`` models back to entry YAML, written atomically.
"""

from .entry import parse_entry
from .folder import close_overlaps, entry_files, line_of, literature_hash, load_literature
from .positions import format_path
from .problems import MODEL_ERROR_TYPES
from .writer import (
    DUMP_WIDTH,
    FLOW_MAPPING_FIELDS,
    dump_entry_yaml,
    entry_data,
    write_entry,
    write_text_atomic,
)

__all__ = [
    "DUMP_WIDTH",
    "FLOW_MAPPING_FIELDS",
    "MODEL_ERROR_TYPES",
    "close_overlaps",
    "dump_entry_yaml",
    "entry_data",
    "entry_files",
    "format_path",
    "line_of",
    "literature_hash",
    "load_literature",
    "parse_entry",
    "write_entry",
    "write_text_atomic",
]
