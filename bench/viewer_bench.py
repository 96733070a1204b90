"""Network view benchmark: time to a drawn, clickable network, ours vs pyvis's physics default.

For synthetic projections of 50, 500 and 5,000 nodes this renders the page with the viewer's own
network code (layout computed once in Python, physics off) and with pyvis's default HTML
(physics on), serves both from 127.0.0.1 and measures in headless Chromium the time from
navigation until the network is drawn and a click on a node selects it. The physics run is
capped; a run that does not settle is reported as "> cap".

Run: ``python bench/viewer_bench.py [--sizes 50,500,5000] [--runs 3] [--cap 60]``.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import networkx as nx  # noqa: E402

from triggergraph.viewer.assets import read_static  # noqa: E402
from triggergraph.viewer.network import render_network_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
RESULTS_FILE = Path(__file__).resolve().parent / "viewer-results.md"
DRIVERS = ("identity_seeker", "justice_seeker", "meaning_seeker", "sensation_seeker")
DEMOGRAPHICS = (
    "sex_male",
    "sex_female",
    "age_under_18",
    "age_18_25",
    "age_over_25",
    "education_low",
    "education_middle",
    "education_high",
)
VERDICTS = ("strong", "moderate", "limited", "contested")
SCORES = {"strong": 8, "moderate": 4, "limited": 1, "contested": 2}


def build_synthetic_graph(n_nodes: int, seed: int = 7) -> nx.Graph:
    """A projection-shaped graph: factor nodes linked to driver and demographic nodes.

    Examples
    --------
    >>> g = build_synthetic_graph(50)
    >>> g.number_of_nodes(), all("kind" in a for _, a in g.nodes(data=True))
    (50, True)
    """
    rng = random.Random(seed)
    graph = nx.Graph()
    columns = [(f"driver:{d}", "driver", d.replace("_", " ")) for d in DRIVERS]
    columns += [(f"demographic:{d}", "demographic", d.replace("_", " ")) for d in DEMOGRAPHICS]
    for node, kind, label in columns:
        graph.add_node(node, kind=kind, label=label)
    for i in range(n_nodes - len(columns)):
        node = f"factor:synthetic_{i}"
        graph.add_node(
            node,
            kind="factor",
            label=f"synthetic factor {i}",
            level=rng.choice(["micro", "meso", "macro"]),
        )
        for column, _, _ in rng.sample(columns, rng.randint(1, 3)):
            verdict = rng.choice(VERDICTS)
            graph.add_edge(
                node,
                column,
                verdict=verdict,
                score=SCORES[verdict],
                n_findings=rng.randint(1, 6),
                explanation="",
            )
    return graph


def layout(graph: nx.Graph) -> tuple[dict, str]:
    """Positions from the project's ``layout_graph`` (what the network page uses)."""
    from triggergraph.graph import layout_graph

    return layout_graph(graph, seed=42), "triggergraph.graph.layout_graph"


def render_pyvis_default(graph: nx.Graph) -> str:
    """pyvis's own page for the graph with its defaults (physics on), vis-network inlined."""
    from pyvis.network import Network

    net = Network(height="750px", width="100%", cdn_resources="in_line")
    for node, attrs in graph.nodes(data=True):
        net.add_node(node, label=attrs.get("label", node))
    # pyvis's add_edge scans every edge; appending keeps the generation time out of the way
    # without changing what the browser gets.
    for source, target, attrs in graph.edges(data=True):
        net.edges.append({"from": source, "to": target, "width": attrs.get("score", 1)})
    return net.generate_html()


class _Pages:
    """In-memory pages plus the viewer's static files, served over HTTP on 127.0.0.1."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?", 1)[0]
                if path in pages:
                    body, media = pages[path], "text/html; charset=utf-8"
                elif path.startswith("/static/viewer/") and read_static(
                    path[len("/static/viewer/") :]
                ):
                    body, media = read_static(path[len("/static/viewer/") :])
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                return

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


CLICK_TARGET_JS = """(name) => {
  const net = window[name];
  const ids = net.body.nodeIndices;
  const id = ids.find(i => String(i).startsWith('driver:')) || ids[0];
  const p = net.getPositions([id])[id];
  const d = net.canvasToDOM(p);
  const box = net.body.container.getBoundingClientRect();
  // another node may be drawn on top of the hub; expect whichever node is under the pointer
  const hit = net.getNodeAt(d);
  return {id: hit === undefined ? id : hit, x: box.left + d.x, y: box.top + d.y};
}"""


def measure_once(browser, url: str, *, physics: bool, cap_s: float) -> float | None:
    """Seconds from navigation until drawn (and settled, with physics) and a click selects."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # pyvis's template also links Bootstrap on a CDN; keep the run offline and equal.
    page.route(
        "**/*",
        lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort(),
    )
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=cap_s * 1000)
        remaining = lambda: max(1.0, (cap_s - (time.perf_counter() - start)) * 1000)  # noqa: E731
        if physics:
            page.wait_for_function(
                "() => window.network && window.network.physics && window.network.physics.stabilized === true",
                timeout=remaining(),
                polling=50,
            )
            name = "network"
        else:
            page.wait_for_function(
                "() => document.body && document.body.getAttribute('data-network-drawn') === '1'",
                timeout=remaining(),
                polling=20,
            )
            name = "tgNetwork"
        target = page.evaluate(CLICK_TARGET_JS, name)
        page.mouse.click(target["x"], target["y"])
        page.wait_for_function(
            "([name, id]) => window[name].getSelectedNodes().includes(id)",
            arg=[name, target["id"]],
            timeout=remaining(),
            polling=20,
        )
        elapsed = time.perf_counter() - start
        return elapsed if elapsed <= cap_s else None
    except Exception as error:  # a timeout means it did not settle within the cap
        if "Timeout" in type(error).__name__ or "Timeout" in str(error):
            return None
        raise
    finally:
        context.close()


def format_seconds(values: list[float | None], cap_s: float) -> str:
    """Median of the runs, or "> cap" when the median run did not finish."""
    done = sorted(v if v is not None else float("inf") for v in values)
    median = statistics.median(done)
    return f"> {cap_s:.0f} s" if median == float("inf") else f"{median:.2f} s"


def run(sizes: list[int], runs: int, cap_s: float) -> list[dict]:
    """Measure every size; return one row per size."""
    from playwright.sync_api import sync_playwright

    server = _Pages()
    rows = []
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            del profile
            for n in sizes:
                graph = build_synthetic_graph(n)
                t0 = time.perf_counter()
                positions, layout_name = layout(graph)
                t_layout = time.perf_counter() - t0
                t0 = time.perf_counter()
                server.pages[f"/ours/{n}"] = render_network_html(
                    graph, positions, lang="en"
                ).encode()
                t_render = time.perf_counter() - t0
                server.pages[f"/pyvis/{n}"] = render_pyvis_default(graph).encode()
                ours = [
                    measure_once(browser, server.url(f"/ours/{n}"), physics=False, cap_s=cap_s)
                    for _ in range(runs)
                ]
                theirs = [
                    measure_once(browser, server.url(f"/pyvis/{n}"), physics=True, cap_s=cap_s)
                    for _ in range(runs)
                ]
                rows.append(
                    {
                        "nodes": graph.number_of_nodes(),
                        "edges": graph.number_of_edges(),
                        "layout_s": t_layout,
                        "render_s": t_render,
                        "layout": layout_name,
                        "ours": format_seconds(ours, cap_s),
                        "pyvis": format_seconds(theirs, cap_s),
                    }
                )
                print(rows[-1], flush=True)
            browser.close()
    finally:
        server.close()
    return rows


def format_table(rows: list[dict], runs: int, cap_s: float) -> str:
    """A Markdown table of the results."""
    lines = [
        f"Median of {runs} runs, headless Chromium, 1280×900; time from navigation until the network is",
        "drawn and a click on a node selects it (pyvis default: until physics has settled, capped at",
        f"{cap_s:.0f} s). Python columns: layout (`layout_graph`) and page rendering, done once per graph",
        "(the first row also pays for importing the layout and pyvis code).",
        "",
        "| nodes | edges | Python layout | Python render | ours (physics off) | pyvis default (physics on) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['nodes']:,} | {r['edges']:,} | {r['layout_s']:.2f} s | {r['render_s']:.2f} s | {r['ours']} | {r['pyvis']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write it to ``bench/viewer-results.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=RESULTS_FILE)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = run(sizes, args.runs, args.cap)
    table = format_table(rows, args.runs, args.cap)
    print(table)
    args.out.write_text("# Network view benchmark\n\n" + table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
