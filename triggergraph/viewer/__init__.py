"""The practitioner views: evidence map, network, factor, construct, source and profile pages, offline export."""

from __future__ import annotations

from ..answers.map_query import MapQuery
from .assets import read_static
from .downloads import build_map_download
from .evidence_map import build_map_page, render_evidence_map
from .export import build_export_page, render_single_file, write_single_file
from .factor_page import (
    build_construct_page,
    build_factor_page,
    render_construct_page,
    render_factor_page,
)
from .gaps import build_gaps_page
from .html import dump_script_json, escape_html, safe_href
from .i18n import LANGUAGES, translations_for
from .map_cell import build_cell_findings
from .map_data import build_map_data, keep_verdict
from .network import (
    build_network_data,
    build_network_page,
    render_network_html,
    render_network_page,
)
from .pages import (
    build_about_page,
    build_error_page,
    render_error_page,
    render_view,
    status_for,
)
from .profile_page import build_profile_page, render_profile_page
from .resource import build_resource_page, render_resource_page
from .source_page import build_source_page, render_source_page
from .templating import TEMPLATE_DIR, environment

__all__ = [
    "LANGUAGES",
    "MapQuery",
    "TEMPLATE_DIR",
    "build_about_page",
    "build_cell_findings",
    "build_construct_page",
    "build_error_page",
    "build_export_page",
    "build_factor_page",
    "build_gaps_page",
    "build_map_data",
    "build_map_download",
    "build_map_page",
    "build_network_data",
    "build_network_page",
    "build_profile_page",
    "build_resource_page",
    "build_source_page",
    "dump_script_json",
    "environment",
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
    "render_view",
    "safe_href",
    "status_for",
    "translations_for",
    "write_single_file",
]
