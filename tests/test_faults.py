"""Faults on real processes: SIGKILL during writes, the remote store going away, literature breaking."""

from __future__ import annotations

import json
import random
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml
from bench_scripts import load_bench
from rdflib import Graph

from triggergraph.answers.builders import answer_json, build_source
from triggergraph.exceptions import QueryTimeoutError
from triggergraph.models import Source
from triggergraph.namespaces import TG
from triggergraph.readmodel import EvidenceIndex
from triggergraph.service.literature import graph_source_id, read_store_sources
from triggergraph.shapes import validate_graph
from triggergraph.store import OxigraphStore, SparqlStore
from triggergraph.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
API_FIXTURES = REPO / "tests" / "data" / "api"
#: bounds of every wait on a server, so a hung process fails the test instead of stalling it
WAIT_S = 30.0
RECOVERY_LIMIT_S = 15.0

pytestmark = pytest.mark.server


bench_load = load_bench("load")
ApiProcess = load_bench("processes").ApiProcess
BASE_IRI = load_bench("processes").BASE_IRI


# ---- entries and their expected answers -------------------------------------------------
def fault_entry(source_id: str, version: int, n_findings: int) -> dict:
    """A valid test entry (not a real study); each version has its own title and finding ids."""
    return {
        "id": source_id,
        "type": "report",
        "authors": ["Fault, T.", f"Version, {version}."],
        "year": 2026,
        "title": f"Fault test {source_id} version {version} (not a real study)",
        "added_by": "triggergraph fault tests",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": f"{source_id}-v{version}-{k}",
                "factor": "detention" if k % 2 else "perceived_discrimination",
                "drivers": [{"driver": "justice_seeker", "basis": "proposed"}],
                "direction": "increases",
                "certainty": "D",
                "certainty_reasons": ["fault test fixture; not evidence"],
                "locator": f"n/a (fault test, finding {k})",
            }
            for k in range(1, n_findings + 1)
        ],
    }


class Expected:
    """What ``GET /api/v1/sources/{id}`` must answer for an entry, computed without the server."""

    def __init__(self):
        self.vocabulary = load_vocabulary(base_iri=BASE_IRI)

    def source_json(self, entry: dict) -> dict:
        source = Source.model_validate(entry, context={"vocabulary": self.vocabulary})
        index = EvidenceIndex.build([source], self.vocabulary, "")
        return json.loads(answer_json(build_source(index, source.id)))


# ---- checks on a stopped store -----------------------------------------------------------
def check_store_dir(path: Path, vocabulary) -> dict:
    """Open a killed server's store directory and check it: SHACL, readable, no orphan findings."""
    store = OxigraphStore(path, BASE_IRI)
    try:
        dump = store.dump_nquads()
        _, read_problems = read_store_sources(store, vocabulary)
    finally:
        store.close()
    lines = []
    for line in dump.splitlines():
        parts = line.rsplit(" ", 2)
        if len(parts) == 3 and graph_source_id(BASE_IRI, parts[1].strip("<>")) is not None:
            lines.append(parts[0] + " .")
    data = Graph()
    data.parse(data="\n".join(lines), format="nt")
    sources = set(data.subjects(predicate=None, object=TG.Source))
    orphans = [
        str(finding)
        for finding in data.subjects(object=TG.Finding)
        if not set(data.objects(finding, TG.reportedIn)) & sources
    ]
    return {
        "shacl_problems": [p.as_dict() for p in validate_graph(data, vocabulary)],
        "read_problems": [p.as_dict() for p in read_problems],
        "orphan_findings": orphans,
        "sources": len(sources),
    }


# ---- the kill loop -----------------------------------------------------------------------
@dataclass
class KillReport:
    """Figures of a kill loop: per round and in total."""

    rounds: list[dict] = field(default_factory=list)

    @property
    def acknowledged(self) -> int:
        return sum(r["acknowledged"] for r in self.rounds)

    @property
    def found(self) -> int:
        return sum(r["found"] for r in self.rounds)

    @property
    def half_present(self) -> int:
        return sum(r["half_present"] for r in self.rounds)

    def as_dict(self) -> dict:
        return {
            "rounds": self.rounds,
            "acknowledged": self.acknowledged,
            "found": self.found,
            "half_present": self.half_present,
        }


#: Marks a part (public or proposed version) an operation leaves as it is.
SAME = object()


@dataclass
class Op:
    """One write the writer sends, and the public and proposed versions it leads to."""

    method: str
    path: str
    ident: str
    body: dict | None
    public: object = SAME
    proposed: object = SAME


class Writer(threading.Thread):
    """Send every kind of write one after another until the server dies: POST and PUT,
    published at once or proposed, publish, reject, DELETE and restore.

    ``state`` holds the last acknowledged public entry per source id (None once deleted),
    ``proposed`` the acknowledged proposed versions; ``pending`` is ``(id, public entry)``
    of the write sent but not acknowledged when the connection broke, ``pending_proposed``
    ``(id, proposed entry or None)`` when that write changed a proposed version.
    """

    def __init__(self, url: str, token: str, state: dict, rng: random.Random, counter: list):
        super().__init__(daemon=True)
        self.url, self.token, self.state, self.rng, self.counter = url, token, state, rng, counter
        self.proposed: dict[str, dict] = state.setdefault("__proposed__", {})
        self.last_public: dict[str, dict] = state.setdefault("__last_public__", {})
        self.acked: list[str] = []
        self.pending: tuple[str, dict | None] | None = None
        self.pending_proposed: tuple[str, dict | None] | None = None
        self.refused: list[tuple[int, str]] = []
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(WAIT_S)

    def _next(self) -> Op:
        ids = sorted(k for k in self.state if not k.startswith("__"))
        present = [k for k in ids if self.state[k] is not None]
        deleted = [k for k in ids if self.state[k] is None and k in self.last_public]
        proposed = sorted(self.proposed)
        roll = self.rng.random()
        self.counter[0] += 1
        version = self.counter[0]

        def entry(ident: str) -> dict:
            return fault_entry(ident, version, self.rng.randint(1, 4))

        if not present or roll < 0.25:
            ident = f"kill{version:05d}"
            body = entry(ident)
            return Op("POST", "/api/v1/sources?publish=true", ident, body, public=body)
        if roll < 0.35:
            ident = f"kill{version:05d}"
            body = entry(ident)
            return Op("POST", "/api/v1/sources", ident, body, proposed=body)
        if proposed and roll < 0.45:
            ident = self.rng.choice(proposed)
            return Op(
                "POST",
                f"/api/v1/sources/{ident}/publish",
                ident,
                None,
                public=self.proposed[ident],
                proposed=None,
            )
        if proposed and roll < 0.5:
            ident = self.rng.choice(proposed)
            body = {"decision": "reject", "why": "fault test"}
            return Op("POST", f"/api/v1/sources/{ident}/review", ident, body, proposed=None)
        if deleted and roll < 0.55:
            ident = self.rng.choice(deleted)
            return Op(
                "POST",
                f"/api/v1/sources/{ident}/restore",
                ident,
                None,
                public=self.last_public[ident],
            )
        ident = self.rng.choice(present)
        if roll < 0.75:
            body = entry(ident)
            return Op("PUT", f"/api/v1/sources/{ident}?publish=true", ident, body, public=body)
        if roll < 0.9:
            body = entry(ident)
            return Op("PUT", f"/api/v1/sources/{ident}", ident, body, proposed=body)
        return Op("DELETE", f"/api/v1/sources/{ident}", ident, None, public=None, proposed=None)

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=self.url, timeout=10.0) as client:
            for _ in range(10_000):
                if self._stop_event.is_set():
                    return
                op = self._next()
                old = self.state.get(op.ident)
                self.pending = (op.ident, old if op.public is SAME else op.public)
                self.pending_proposed = None if op.proposed is SAME else (op.ident, op.proposed)
                body = json.dumps(op.body).encode() if op.body is not None else None
                try:
                    answer = client.request(op.method, op.path, content=body, headers=headers)
                except httpx.TransportError:
                    return  # killed: the outcome of the pending write is unknown
                if answer.status_code in (200, 201):
                    self.apply(op)
                    self.acked.append(op.ident)
                else:
                    self.refused.append((answer.status_code, answer.text[:300]))
                self.pending = self.pending_proposed = None

    def apply(self, op: Op) -> None:
        """Record what an acknowledged (or landed in-flight) write changed."""
        if op.public is not SAME:
            self.state[op.ident] = op.public
            if op.public is not None:
                self.last_public[op.ident] = op.public
        elif op.ident not in self.state:
            self.state[op.ident] = None  # a proposed new source: not public
        if op.proposed is None:
            self.proposed.pop(op.ident, None)
        elif op.proposed is not SAME:
            self.proposed[op.ident] = op.proposed


def check_proposed(url: str, token: str, proposed: dict, pending) -> list:
    """Every acknowledged proposed version is there after the restart (the in-flight one
    old or new); returns the mismatches."""
    mismatches = []
    touched = set(proposed) | ({pending[0]} if pending is not None else set())
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=10.0, headers=auth) as client:
        for ident in sorted(touched):
            answer = client.get(f"/api/v1/proposed/{ident}", params={"as": "json"})
            title = answer.json()["title"] if answer.status_code == 200 else None
            allowed = {(proposed.get(ident) or {}).get("title")}
            if pending is not None and pending[0] == ident:
                allowed.add((pending[1] or {}).get("title"))
            if title not in allowed:
                mismatches.append((ident, answer.status_code, title, sorted(map(str, allowed))))
    return mismatches


class FormWriter(Writer):
    """Propose new sources through the entry form (/curate/submit, session cookie + CSRF
    token): each acknowledged one must be there as a proposed version after a restart."""

    def _next(self) -> tuple[str, str, dict | None]:
        self.counter[0] += 1
        version = self.counter[0]
        ident = f"form{version:05d}"
        return "POST", ident, fault_entry(ident, version, self.rng.randint(1, 4))

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10.0) as client:
            try:
                client.post("/curate/login", data={"token": self.token})
                page = client.get("/curate").text
            except httpx.TransportError:
                return
            csrf = page.split('data-csrf="', 1)[1].split('"', 1)[0]
            for _ in range(10_000):
                if self._stop_event.is_set():
                    return
                _method, ident, entry = self._next()
                op = Op("POST", "/curate/submit", ident, entry, proposed=entry)
                self.pending = (ident, None)  # a proposal is never public
                self.pending_proposed = (ident, entry)
                try:
                    answer = client.post(
                        "/curate/submit", json=entry, headers={"X-CSRF-Token": csrf}
                    )
                except httpx.TransportError:
                    return  # killed: the outcome of the pending write is unknown
                if answer.status_code == 201:
                    self.apply(op)
                    self.acked.append(ident)
                else:
                    self.refused.append((answer.status_code, answer.text[:300]))
                self.pending = self.pending_proposed = None


def _revision_of(page: str) -> str:
    return page.split('data-revision="', 1)[1].split('"', 1)[0]


class FormFlowWriter(FormWriter):
    """Take sources through the whole form flow, one step per post: propose (submit), edit
    (a new proposed revision), a second coder's blind coding, reconcile (published). Each
    acknowledged step must survive the kill: the proposed or public version, and a coding
    not yet reconciled (``__codings__``: source id -> coder)."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.codings: dict[str, str] = self.state.setdefault("__codings__", {})
        self.pending_coding: tuple[str, str | None] | None = None

    def _steps(self, client: httpx.Client, csrf: str):
        """Yield ``(op, path, body, coding)`` for each post, the body built on the page it
        opens first; ``coding`` is the coder the post leaves (None: none), or SAME."""
        while True:
            self.counter[0] += 1
            version = self.counter[0]
            ident = f"flow{version:05d}"
            first = fault_entry(ident, version, self.rng.randint(1, 3))
            yield Op("POST", "", ident, first, proposed=first), "/curate/submit", first, SAME
            edited = {**first, "title": first["title"] + " (edited)"}
            revision = _revision_of(client.get(f"/curate/edit/{ident}").text)
            body = {"draft": edited, "revision": revision, "by": "an editor"}
            yield (
                Op("POST", "", ident, edited, proposed=edited),
                f"/curate/edit/{ident}",
                body,
                SAME,
            )
            coder = f"coder {version}"
            revision = _revision_of(client.get(f"/curate/code/{ident}").text)
            body = {"draft": {**edited, "added_by": coder}, "revision": revision, "by": coder}
            yield Op("POST", "", ident, None), f"/curate/code/{ident}", body, coder
            revision = client.get(f"/curate/agreement/{ident}").json()["revision"]
            body = {"picks": {}, "revision": revision, "by": "a reconciler"}
            op = Op("POST", "", ident, None, public=edited, proposed=None)
            yield op, f"/curate/reconcile/{ident}", body, None

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10.0) as client:
            try:
                client.post("/curate/login", data={"token": self.token})
                csrf = client.get("/curate").text.split('data-csrf="', 1)[1].split('"', 1)[0]
                steps = self._steps(client, csrf)
                for _ in range(10_000):
                    if self._stop_event.is_set():
                        return
                    op, path, body, coding = next(steps)
                    old = self.state.get(op.ident)
                    self.pending = (op.ident, old if op.public is SAME else op.public)
                    self.pending_proposed = None if op.proposed is SAME else (op.ident, op.proposed)
                    self.pending_coding = None if coding is SAME else (op.ident, coding)
                    answer = client.post(path, json=body, headers={"X-CSRF-Token": csrf})
                    if answer.status_code in (200, 201):
                        self.apply(op)
                        self.acked.append(op.ident)
                        if coding is not SAME:
                            self.codings.pop(op.ident, None)
                            if coding is not None:
                                self.codings[op.ident] = coding
                    else:
                        self.refused.append((answer.status_code, answer.text[:300]))
                        return
                    self.pending = self.pending_proposed = self.pending_coding = None
            except httpx.TransportError:
                return  # killed: the outcome of the pending write is unknown

    def check_codings(self, url: str) -> list:
        """Every acknowledged, unreconciled coding is there with its coder after the restart
        (the in-flight one old or new, and then taken as the server has it)."""
        mismatches = []
        touched = set(self.codings)
        touched |= {self.pending_coding[0]} if self.pending_coding else set()
        with httpx.Client(base_url=url, timeout=10.0) as client:
            client.post("/curate/login", data={"token": self.token})
            for ident in sorted(touched):
                answer = client.get(f"/curate/agreement/{ident}")
                coder = answer.json()["coder_b"] if answer.status_code == 200 else None
                allowed = {self.codings.get(ident)}
                if self.pending_coding and self.pending_coding[0] == ident:
                    allowed.add(self.pending_coding[1])
                    self.codings.pop(ident, None)
                    if coder is not None:
                        self.codings[ident] = coder
                if coder not in allowed:
                    mismatches.append((ident, answer.status_code, coder, sorted(map(str, allowed))))
        return mismatches


def check_after_restart(url: str, expected: Expected, state: dict, pending, acked: list) -> dict:
    """Compare every touched source with its acknowledged version (or the in-flight one).

    Returns counts of acknowledged writes found and lost, answers equal to no version ever
    sent (half-present), whether the in-flight write landed, and the findings total.
    """
    found = lost = half = 0
    landed = False
    mismatches = []
    touched = {k for k in state if not k.startswith("__")}
    touched |= {pending[0]} if pending is not None else set()
    with httpx.Client(base_url=url, timeout=10.0) as client:
        for ident in sorted(touched):
            answer = client.get(f"/api/v1/sources/{ident}")
            if answer.status_code not in (200, 404):
                mismatches.append((ident, answer.status_code, answer.text[:200]))
                continue
            observed = answer.json() if answer.status_code == 200 else None
            old = state.get(ident)
            want_old = None if old is None else expected.source_json(old)
            want_new = want_old
            if pending is not None and pending[0] == ident:
                want_new = None if pending[1] is None else expected.source_json(pending[1])
            count = acked.count(ident)
            if observed in (want_old, want_new):
                found += count
                landed = landed or (observed == want_new and want_new != want_old)
                continue
            lost += count
            mismatches.append((ident, observed, [want_old, want_new]))
            if observed is not None and observed.get("title") not in (
                (want_old or {}).get("title"),
                (want_new or {}).get("title"),
            ):
                half += 1
        total = client.get("/api/v1/findings", params={"limit": 1}).json()["total"]
    return {
        "found": found,
        "lost": lost,
        "half": half,
        "landed": landed,
        "mismatches": mismatches,
        "total": total,
    }


def _sync_proposed(url: str, token: str, proposed: dict, pending: tuple) -> None:
    ident, entry = pending
    answer = httpx.get(
        f"{url}/api/v1/proposed/{ident}",
        params={"as": "json"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    if answer.status_code == 200 and entry is not None and answer.json()["title"] == entry["title"]:
        proposed[ident] = entry
    elif answer.status_code == 404:
        proposed.pop(ident, None)


def run_kill_rounds(
    workdir: Path,
    rounds: int,
    seed: int,
    writer_class: type[Writer] = Writer,
    window_s: tuple[float, float] = (0.3, 2.0),
) -> KillReport:
    """Write, SIGKILL at a seeded random moment, check the store, restart on it; ``rounds`` times.

    The server started after a kill is checked first (every acknowledged write present, the
    in-flight one old or new, findings total exact) and then takes the next round's writes,
    so ``rounds`` kills cost ``rounds + 1`` starts.
    """
    rng = random.Random(seed)
    literature = workdir / "literature"
    shutil.copytree(API_FIXTURES, literature)
    store_dir = workdir / "store"
    token = secrets.token_hex(16)
    env = bench_load.api_env(literature, token, store_path=store_dir)
    env["TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S"] = "0.2"
    expected = Expected()
    state: dict[str, dict | None] = {}
    counter = [0]
    report = KillReport()
    base_findings = None
    last: tuple[Writer, dict] | None = None
    for number in range(1, rounds + 2):
        api = ApiProcess(env, workdir / f"api-{number}.log").start(timeout_s=120)
        try:
            if base_findings is None:
                answer = httpx.get(api.url + "/api/v1/findings", params={"limit": 1}, timeout=10)
                base_findings = answer.json()["total"]
            if last is not None:
                writer, store_check = last
                seen = check_after_restart(api.url, expected, state, writer.pending, writer.acked)
                proposed_mismatches = check_proposed(
                    api.url, token, writer.proposed, writer.pending_proposed
                )
                check_codings = getattr(writer, "check_codings", None)
                coding_mismatches = check_codings(api.url) if check_codings else []
                health = httpx.get(api.url + "/health", timeout=10).json()
                if seen["landed"]:
                    state[writer.pending[0]] = writer.pending[1]
                    if writer.pending[1] is not None:
                        writer.last_public[writer.pending[0]] = writer.pending[1]
                if writer.pending_proposed is not None:
                    # the in-flight proposal, whichever way it went, as the server has it now
                    _sync_proposed(api.url, token, writer.proposed, writer.pending_proposed)
                present = [e for k, e in state.items() if not k.startswith("__") and e is not None]
                report.rounds.append(
                    {
                        "round": number - 1,
                        "acknowledged": len(writer.acked),
                        "found": seen["found"],
                        "lost": seen["lost"],
                        "half_present": seen["half"],
                        "in_flight_at_kill": writer.pending is not None,
                        "in_flight_landed": seen["landed"],
                        "mismatches": seen["mismatches"],
                        "proposed_mismatches": proposed_mismatches,
                        "coding_mismatches": coding_mismatches,
                        "refused": writer.refused,
                        "shacl_problems": len(store_check["shacl_problems"]),
                        "read_problems": len(store_check["read_problems"]),
                        "orphan_findings": len(store_check["orphan_findings"]),
                        "findings_total": seen["total"],
                        "findings_expected": base_findings
                        + sum(len(e["findings"]) for e in present),
                        "health_problems": health["literature_problems"],
                        "details": store_check,
                    }
                )
            if number > rounds:
                break
            writer = writer_class(api.url, token, state, rng, counter)
            writer.start()
            time.sleep(rng.uniform(*window_s))
            api.kill()
            writer.stop()
        finally:
            api.stop()
        assert not writer.is_alive(), "the writer did not stop after the kill"
        last = (writer, check_store_dir(store_dir, expected.vocabulary))
    return report


def assert_kill_report(report: KillReport) -> None:
    """Every acknowledged write found, nothing half-present, the store valid after every kill."""
    for r in report.rounds:
        assert r["refused"] == [], f"round {r['round']}: writes refused: {r['refused']}"
        assert r["mismatches"] == [], f"round {r['round']}: {r['mismatches']}"
        assert r["proposed_mismatches"] == [], f"round {r['round']}: {r['proposed_mismatches']}"
        assert r["coding_mismatches"] == [], f"round {r['round']}: {r['coding_mismatches']}"
        assert r["half_present"] == 0, r
        assert r["found"] == r["acknowledged"], r
        assert r["findings_total"] == r["findings_expected"], r
        assert r["shacl_problems"] == 0, r["details"]["shacl_problems"]
        assert r["read_problems"] == 0, r["details"]["read_problems"]
        assert r["orphan_findings"] == 0, r["details"]["orphan_findings"]
        assert r["health_problems"] == [], r["health_problems"]
    assert report.acknowledged > 0, "no write was acknowledged before the kills; nothing tested"


def summary_of(report: KillReport) -> dict:
    """The figures without the per-store details, for printing and the docs."""
    keep = (
        "round",
        "acknowledged",
        "found",
        "lost",
        "half_present",
        "in_flight_at_kill",
        "in_flight_landed",
        "shacl_problems",
        "orphan_findings",
    )
    return {
        "rounds": [{k: r[k] for k in keep} for r in report.rounds],
        "acknowledged": report.acknowledged,
        "found": report.found,
        "half_present": report.half_present,
    }


# ---- tests ---------------------------------------------------------------------------------
def test_kill_during_writes_keeps_acknowledged_writes(tmp_path):
    report = run_kill_rounds(tmp_path, rounds=3, seed=20261128)
    print("kill loop:", json.dumps(summary_of(report)))
    assert_kill_report(report)
    assert len(report.rounds) == 3


def test_kill_during_form_submissions_keeps_acknowledged_writes(tmp_path):
    # a form submission is checked twice (the form's check, then the write's), so the writer
    # gets longer before each kill
    report = run_kill_rounds(
        tmp_path, rounds=2, seed=20261204, writer_class=FormWriter, window_s=(3.0, 6.0)
    )
    print("kill loop (entry form):", json.dumps(summary_of(report)))
    assert_kill_report(report)
    assert len(report.rounds) == 2


def test_kill_during_edit_coding_and_reconcile_keeps_acknowledged_steps(tmp_path):
    # two kills, each at a seeded moment inside the propose -> edit -> code -> reconcile flow
    report = run_kill_rounds(
        tmp_path, rounds=2, seed=20261205, writer_class=FormFlowWriter, window_s=(3.0, 6.0)
    )
    print("kill loop (edit, second coding, reconcile):", json.dumps(summary_of(report)))
    assert_kill_report(report)
    assert len(report.rounds) == 2


# ---- the remote store goes away ----------------------------------------------------------
def wait_until(check, timeout_s: float = WAIT_S, every_s: float = 0.1):
    """Call ``check`` until it returns something truthy; return that, or None after the timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every_s)
    return None


def post_entry(client: httpx.Client, token: str, entry: dict) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return client.post(
        "/api/v1/sources",
        content=json.dumps(entry).encode(),
        headers=headers,
        params={"publish": "true"},
    )


def run_store_outage(
    api_url: str, token: str, server, expected: Expected, prefix: str = ""
) -> dict:
    """Stop the store under a running API, probe every kind of request, restart it, time recovery.

    ``prefix`` keeps the ids of repeated cycles apart.
    """
    outcome: dict = {}
    small_query = "ASK { ?s ?p ?o }"
    with httpx.Client(base_url=api_url, timeout=20.0) as client:
        before = fault_entry(f"{prefix}outage00001", 1, 2)
        assert post_entry(client, token, before).status_code == 201
        factors_before = client.get("/api/v1/factors").json()

        server.stop()
        stopped_at = time.monotonic()
        # reads answer from the last index: same data as before the outage
        factors = client.get("/api/v1/factors")
        source = client.get(f"/api/v1/sources/{prefix}outage00001")
        outcome["read_status"] = [factors.status_code, source.status_code]
        outcome["read_same_data"] = (
            factors.status_code == 200
            and factors.json() == factors_before
            and source.json() == expected.source_json(before)
        )
        health = client.get("/health")
        outcome["health"] = {
            "status_code": health.status_code,
            **{k: health.json().get(k) for k in ("status", "stale", "store_error")},
        }
        refused = fault_entry(f"{prefix}outage00002", 2, 1)
        write = post_entry(client, token, refused)
        outcome["write"] = {"status_code": write.status_code, **write.json()}
        sparql = client.get("/sparql", params={"query": small_query})
        outcome["sparql"] = {"status_code": sparql.status_code, **sparql.json()}
        outcome["outage_s"] = round(time.monotonic() - stopped_at, 2)

        server.start()
        restarted_at = time.monotonic()

        def recovered() -> bool:
            answer = client.get("/health")
            return answer.status_code == 200 and answer.json()["stale"] is False

        outcome["health_recovered"] = wait_until(recovered, RECOVERY_LIMIT_S) is not None
        outcome["health_recovery_s"] = round(time.monotonic() - restarted_at, 2)
        after = fault_entry(f"{prefix}outage00003", 3, 1)
        write_after = wait_until(
            lambda: (r := post_entry(client, token, after)).status_code == 201 and r,
            RECOVERY_LIMIT_S,
        )
        outcome["write_recovery_s"] = round(time.monotonic() - restarted_at, 2)
        outcome["write_after_status"] = write_after.status_code if write_after else None
        outcome["fresh_read"] = client.get(f"/api/v1/sources/{prefix}outage00003").json() == (
            expected.source_json(after)
        )
        outcome["refused_write_absent"] = (
            client.get(f"/api/v1/sources/{prefix}outage00002").status_code == 404
        )
        outcome["sparql_after"] = client.get("/sparql", params={"query": small_query}).status_code
    return outcome


def test_store_outage_serves_last_index_and_recovers(tmp_path, start_oxigraph_server):
    server = start_oxigraph_server()
    literature = tmp_path / "literature"
    shutil.copytree(API_FIXTURES, literature)
    token = secrets.token_hex(16)
    env = bench_load.api_env(literature, token, sparql_url=server.query_url)
    env.update(TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S="0.2", TRIGGERGRAPH_SPARQL_TIMEOUT_S="3")
    api = ApiProcess(env, tmp_path / "api.log").start(timeout_s=120)
    try:
        outcome = run_store_outage(api.url, token, server, Expected())
        alive = api.process is not None and api.process.poll() is None
    finally:
        api.stop()
    print("store outage:", json.dumps(outcome))
    assert alive, "the API process died during the outage"
    assert outcome["read_status"] == [200, 200]
    assert outcome["read_same_data"]
    assert outcome["health"]["status_code"] == 200
    assert outcome["health"]["stale"] is True
    assert outcome["health"]["status"] == "degraded"
    assert "cannot be reached" in outcome["health"]["store_error"]
    assert outcome["write"]["status_code"] == 503
    assert outcome["write"]["error"] == "StoreUnavailableError"
    assert "cannot be reached" in outcome["write"]["detail"]
    assert outcome["sparql"]["status_code"] == 503
    assert outcome["sparql"]["error"] == "StoreUnavailableError"
    assert outcome["health_recovered"]
    assert outcome["write_after_status"] == 201
    assert outcome["write_recovery_s"] < RECOVERY_LIMIT_S
    assert outcome["fresh_read"]
    assert outcome["refused_write_absent"]
    assert outcome["sparql_after"] == 200


# ---- literature/ breaks while the server runs --------------------------------------------
def problems_of(client: httpx.Client) -> list[dict]:
    return client.get("/health").json()["literature_problems"]


def test_literature_broken_at_runtime_keeps_last_good_data(tmp_path):
    literature = tmp_path / "literature"
    shutil.copytree(API_FIXTURES, literature)
    target = literature / "fixture_alpha.yaml"
    good = target.read_bytes()
    env = bench_load.api_env(literature, "unused-token", store_path=tmp_path / "store")
    env["TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S"] = "0.2"
    api = ApiProcess(env, tmp_path / "api.log").start(timeout_s=120)
    try:
        with httpx.Client(base_url=api.url, timeout=20.0) as client:
            assert problems_of(client) == []
            source_before = client.get("/api/v1/sources/fixture_alpha").json()
            matrix_before = client.get("/api/v1/matrix").json()

            # 1. malformed YAML: an unclosed flow sequence on a known line
            lines = good.decode().splitlines()
            bad_line = next(i for i, ln in enumerate(lines, 1) if ln.startswith("authors:"))
            lines[bad_line - 1] = 'authors: ["Fixture, A.", "Fixture, B."'
            target.write_text("\n".join(lines) + "\n")
            malformed = wait_until(lambda: problems_of(client))
            assert malformed, "the malformed file was not reported at /health"
            assert malformed[0]["file"].endswith("fixture_alpha.yaml")
            assert isinstance(malformed[0]["line"], int) and malformed[0]["line"] >= bad_line
            health = client.get("/health").json()
            assert health["status"] == "degraded"
            assert client.get("/api/v1/sources/fixture_alpha").json() == source_before
            assert client.get("/api/v1/matrix").json() == matrix_before

            # 2. fixed: the problem clears by itself
            target.write_bytes(good)
            assert wait_until(lambda: problems_of(client) == [] or None), "problem not cleared"
            assert client.get("/health").json()["status"] == "ok"

            # 3. a schema error: a certainty outside A-D, reported with field, line and value
            data = yaml.safe_load(good)
            lines = good.decode().splitlines()
            cert_line = next(i for i, ln in enumerate(lines, 1) if "certainty: C" in ln)
            lines[cert_line - 1] = lines[cert_line - 1].replace("certainty: C", "certainty: Z")
            target.write_text("\n".join(lines) + "\n")
            schema = wait_until(lambda: problems_of(client))
            assert schema, "the schema error was not reported at /health"
            problem = schema[0]
            assert problem["file"].endswith("fixture_alpha.yaml")
            assert problem["line"] == cert_line
            assert "certainty" in problem["field"] and "'Z'" in problem["message"]
            assert client.get("/api/v1/sources/fixture_alpha").json() == source_before
            assert data["findings"][0]["certainty"] == "C"  # the fixture still holds C

            # 4. fixed again
            target.write_bytes(good)
            assert wait_until(lambda: problems_of(client) == [] or None), "problem not cleared"
            assert client.get("/api/v1/sources/fixture_alpha").json() == source_before
    finally:
        api.stop()


# ---- the remote store cuts an answer short -----------------------------------------------
CUT_ANSWER = (
    b'{"head":{"vars":["g"]},"results":{"bindings":['
    b'{"g":{"type":"uri","value":"http://127.0.0.1:8000/graph/a"}},'
    b'{"g":{"type":"uri","va'
    b"Timeout error: the query evaluation took too long"
)


class CutAnswerHandler(BaseHTTPRequestHandler):
    """Answers every query with 200 and a results document cut short, as a timed-out server does."""

    def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(CUT_ANSWER)))
        self.end_headers()
        self.wfile.write(CUT_ANSWER)

    def log_message(self, *args) -> None:
        pass


def test_store_cut_answer_is_timeout_error_not_crash():
    server = ThreadingHTTPServer(("127.0.0.1", 0), CutAnswerHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    store = SparqlStore(f"http://127.0.0.1:{server.server_address[1]}/query", None, BASE_IRI)
    try:
        # internal reads (graph list, dump, meta) used to let the parser's SyntaxError out: a 500
        with pytest.raises(QueryTimeoutError, match="stopped the query"):
            store.graph_names()
        with pytest.raises(QueryTimeoutError):
            store.dump_nquads()
    finally:
        store.close()
        server.shutdown()
        server.server_close()
        thread.join(WAIT_S)
