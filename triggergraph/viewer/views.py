"""Typed view models: the only input of the viewer's templates (plain strings, never HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Link:
    """A link (``href`` already checked: site-relative or http(s)) with its text."""

    href: str
    text: str
    current: bool = False
    note: str = ""


@dataclass(kw_only=True)
class Option:
    """One ``<option>`` of a filter."""

    value: str
    label: str
    selected: bool = False


@dataclass(kw_only=True)
class Select:
    """One filter: a labelled ``<select>``; ``client`` ones are applied in the page.

    ``kind`` ``text`` or ``year`` is a text or year input holding ``value``; ``hint`` is a
    short text shown with the control (a placeholder for text, a note beside a select).
    """

    name: str
    label: str
    options: list[Option] = field(default_factory=list)
    client: bool = False
    kind: str = "select"
    value: str = ""
    hint: str = ""


@dataclass(kw_only=True)
class Fact:
    """One row of a fact table: a label and a plain value, or links."""

    label: str
    value: str = ""
    links: list[Link] = field(default_factory=list)


@dataclass(kw_only=True)
class FindingCard:
    """One finding as a card: citation, facts, links (DOI first), the curator's note."""

    id: str
    heading: str
    citation: str
    source_id: str = ""
    locator: str = ""
    effect: str = ""
    source_href: str | None = None
    facts: list[Fact] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    notes: list[Fact] = field(default_factory=list)
    notes_foreign: bool = False


@dataclass(kw_only=True)
class VerdictBadge:
    """A verdict with its symbol and the separate sign for its direction."""

    verdict: str
    label: str
    symbol: str
    direction: str | None = None
    direction_sign: str = ""
    direction_label: str = ""


@dataclass(kw_only=True)
class VerdictRow:
    """One column of a factor's verdict table."""

    column: str
    label: str
    badge: VerdictBadge
    n_findings: int
    explanation: str
    empty: str = ""
    #: the cell's verdicts across the releases in words; empty before the first release
    history: str = ""


@dataclass(kw_only=True)
class MapCell:
    """One cell of the evidence map."""

    factor: str
    column: str
    verdict: str
    symbol: str
    n_findings: int
    size: str
    off: bool
    aria: str
    count: str = ""
    empty: str = ""
    tab_stop: bool = False
    direction: str | None = None
    direction_sign: str = ""


@dataclass(kw_only=True)
class MapRow:
    """One trigger factor row of the map."""

    id: str
    label: str
    href: str | None
    cells: list[MapCell]
    total: int = 0


@dataclass(kw_only=True)
class MapLevel:
    """The rows of one level (micro, meso, macro)."""

    id: str
    label: str
    hidden: bool
    rows: list[MapRow]


@dataclass(kw_only=True)
class ColumnGroup:
    """A group of map columns (drivers, sex, age, education)."""

    id: str
    label: str
    columns: list[Link]


@dataclass(kw_only=True)
class LegendItem:
    """One legend entry: a symbol or swatch with its name."""

    key: str
    symbol: str
    label: str
    colour: str = ""


@dataclass(kw_only=True)
class NoteItem:
    """A context note, a cited work or a fact about the report, with its locator."""

    text: str
    locator: str = ""
    #: the curators' words about it (English)
    note: str = ""


@dataclass(kw_only=True)
class Page:
    """What every page has: language, title, navigation, the language switch, assets."""

    lang: str
    title: str
    path: str
    switch: Link
    nav: list[Link] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    data: object = None
    offline: bool = False
    inline: dict[str, str] = field(default_factory=dict)
    about_href: str = "/about/population-evidence"
    notice_extra: str = ""
    template: str = "base.html"


@dataclass(kw_only=True)
class MapSection:
    """The evidence map: filters, legend, levels of rows, shown count."""

    filters: list[Select]
    groups: list[ColumnGroup]
    levels: list[MapLevel]
    legend: list[LegendItem]
    directions: list[LegendItem]
    shown: int
    n_columns: int
    column_totals: list[int] = field(default_factory=list)
    empty: str = ""
    nearest: Link | None = None
    downloads: list[Link] = field(default_factory=list)
    offline: bool = False
    #: the finding filters in force, in words ("" without any)
    filtered: str = ""
    #: cells with evidence under the finding filters ("any" column included)
    with_evidence: int = 0


@dataclass(kw_only=True)
class NetworkSection:
    """The network: tools, canvas, details panel, legend."""

    filters: list[Select]
    names: list[str]
    n_nodes: int
    n_edges: int
    levels: list[LegendItem]
    kinds: list[LegendItem]
    edges: list[LegendItem]
    directions: list[LegendItem]
    graphml_url: str | None = None
    offline: bool = False


@dataclass(kw_only=True)
class MapPage(Page):
    """The evidence map page."""

    map: MapSection
    template: str = "map.html"


@dataclass(kw_only=True)
class NetworkPage(Page):
    """The network page."""

    network: NetworkSection
    template: str = "network.html"


@dataclass(kw_only=True)
class ExportPage(Page):
    """The offline single file: map and network."""

    map: MapSection
    network: NetworkSection
    template: str = "export.html"


@dataclass(kw_only=True)
class FactorPage(Page):
    """One trigger factor."""

    heading: str
    facts: list[Fact]
    report_facts: list[NoteItem]
    report_table: str
    tool_page: str | None
    guidance: Link
    verdicts: list[VerdictRow]
    findings: list[FindingCard]
    #: says the history starts at the first release, while there is none
    history_note: str = ""
    template: str = "factor.html"


@dataclass(kw_only=True)
class ConstructPage(Page):
    """One related construct."""

    heading: str
    facts: list[Fact]
    findings: list[FindingCard]
    template: str = "construct.html"


@dataclass(kw_only=True)
class SourcePage(Page):
    """One literature source."""

    heading: str
    citation: str
    facts: list[Fact]
    links: list[Link]
    notes: list[Fact]
    context_notes: list[NoteItem]
    cites: list[NoteItem]
    findings: list[FindingCard]
    template: str = "source.html"


@dataclass(kw_only=True)
class RankedFactor:
    """One factor in the profile lens' ranking."""

    id: str
    label: str
    href: str
    badge: VerdictBadge
    n_findings: int
    explanation: str


@dataclass(kw_only=True)
class ChoiceRanking:
    """The ranking for one profile choice on its own."""

    label: str
    ranking: list[RankedFactor]


@dataclass(kw_only=True)
class ProfilePage(Page):
    """The profile lens: the AND of the choices, and each choice on its own."""

    filters: list[Select]
    chosen: bool
    choices: list[str]
    ranking: list[RankedFactor]
    per_choice: list[ChoiceRanking]
    template: str = "profile.html"


@dataclass(kw_only=True)
class ErrorPage(Page):
    """A 404 (unknown id, with suggestions) or 400 (bad parameter) page."""

    heading: str
    message: str
    suggestions: list[Link]
    problems: list[str]
    template: str = "error.html"


@dataclass(kw_only=True)
class AboutPage(Page):
    """The page on population evidence versus individual assessment."""

    template: str = "about.html"


@dataclass(kw_only=True)
class GapFactor:
    """One factor with its empty cells of one kind, each linking to the map."""

    id: str
    label: str
    level: str
    href: str
    cells: list[Link]


@dataclass(kw_only=True)
class GapGroup:
    """All empty cells of one kind."""

    kind: str
    label: str
    factors: list[GapFactor]
    n_cells: int


@dataclass(kw_only=True)
class GapsPage(Page):
    """The gaps page."""

    filters: list[Select]
    groups: list[GapGroup]
    filtered: bool
    template: str = "gaps.html"
