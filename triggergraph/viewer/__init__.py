"""The practitioner views: evidence map, network, factor, construct, source and profile pages, offline export."""

from __future__ import annotations

from .assets import read_static
from .evidence_map import build_map_data, keep_verdict, render_evidence_map
from .export import render_single_file, write_single_file
from .html import dump_script_json, escape_html, safe_href
from .network import build_network_data, render_network_html, render_network_page
from .pages import (
    render_construct_page,
    render_error_page,
    render_factor_page,
    render_profile_page,
    render_source_page,
    status_for,
)
from .resource import render_resource_page

__all__ = [
    "build_map_data",
    "build_network_data",
    "dump_script_json",
    "escape_html",
    "keep_verdict",
    "read_static",
    "render_construct_page",
    "render_error_page",
    "render_evidence_map",
    "render_factor_page",
    "render_network_html",
    "render_network_page",
    "render_profile_page",
    "render_resource_page",
    "render_single_file",
    "render_source_page",
    "safe_href",
    "status_for",
    "write_single_file",
]
