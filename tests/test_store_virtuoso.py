"""What only the Virtuoso dialect does, on a real ``virtuoso-t`` (the contract is in test_store)."""

from __future__ import annotations

import pytest

from triggergraph.config import Settings
from triggergraph.exceptions import PreconditionFailedError, StoreError
from triggergraph.store import VirtuosoStore, open_store
from triggergraph.store import virtuoso as dialect
from triggergraph.store.base import ABSENT
from triggergraph.store.virtuoso_text import INSERT_BLOCK

BASE = "http://127.0.0.1:8000/"
G1 = BASE + "graph/v1"
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@pytest.fixture
def store(virtuoso_server):
    store = VirtuosoStore(
        virtuoso_server.query_url, None, BASE, auth=virtuoso_server.auth, timeout_s=5.0
    )
    store.replace_all("")
    yield store
    store.close()


def receipts(store: VirtuosoStore, version: str) -> bool:
    return store.query(store._receipt_query(version)).boolean


def test_open_store_with_the_virtuoso_dialect_logs_in_on_sparql_auth(virtuoso_server, store):
    user, password = virtuoso_server.auth
    settings = Settings(
        store="sparql",
        sparql_url=virtuoso_server.query_url,
        sparql_dialect="virtuoso",
        sparql_user=user,
        sparql_password=password,
    )
    opened = open_store(settings)
    try:
        assert isinstance(opened, VirtuosoStore)
        assert opened.update_url == virtuoso_server.query_url + "-auth"
        version = opened.replace_graph(G1, f'<{BASE}s> <{BASE}p> "o" .\n', expected=ABSENT)
        assert opened.graph_versions() == (version, {G1: version})
        assert store.version() == version
    finally:
        opened.close()


def test_wrong_password_is_refused_naming_the_settings(virtuoso_server, store):
    wrong = VirtuosoStore(virtuoso_server.query_url, None, BASE, auth=("dba", "not-the-password"))
    try:
        with pytest.raises(StoreError, match="refused access \\(401\\); check sparql_user"):
            wrong.replace_graph(G1, f'<{BASE}s> <{BASE}p> "o" .\n')
    finally:
        wrong.close()
    assert store.graph_names() == []


def test_own_graphs_are_hidden_and_survive_a_whole_replace(store):
    ask = f"ASK {{ GRAPH <{VIRTRDF}> {{ ?s ?p ?o }} }}"
    assert store.query(ask).boolean is True
    store.replace_all(f'<{BASE}s> <{BASE}p> "o" <{G1}> .\n')
    assert store.graph_names() == [G1]
    assert store.dump_nquads() == f'<{BASE}s> <{BASE}p> "o" <{G1}> .\n'
    store.replace_all("")
    assert store.graph_names() == []
    assert store.query(ask).boolean is True


def test_large_graph_with_blank_nodes_round_trips(store):
    lines = [f'<{BASE}s{i}> <{BASE}p> "{i}" .' for i in range(2 * INSERT_BLOCK + 5)]
    lines += [f"<{BASE}s0> <{BASE}q> _:b1 .", f'_:b1 <{BASE}p> "true"^^<{BOOLEAN}> .']
    store.replace_graph(G1, "\n".join(lines) + "\n")
    text = store.graph_ntriples(G1)
    assert len(text.splitlines()) == len(lines)
    # one blank node, written in a block of its own, still links the two triples
    rows = store.query(f"SELECT ?v WHERE {{ <{BASE}s0> <{BASE}q> ?b . ?b <{BASE}p> ?v }}").rows
    assert rows == [{"v": True}]
    assert f'"true"^^<{BOOLEAN}>' in text


def test_a_deadlocked_update_is_sent_again(store, monkeypatch):
    sent: list[str] = []
    send = dialect.SparqlStore._post_update

    def deadlock_twice(self, update: str) -> None:
        sent.append(update)
        if len(sent) <= 2:
            raise dialect.DeadlockError("Virtuoso 40001 Error SR172: Transaction deadlocked")
        send(self, update)

    monkeypatch.setattr(dialect.SparqlStore, "_post_update", deadlock_twice)
    monkeypatch.setattr(dialect, "DEADLOCK_RETRIES", 3)
    store._post_update(f'INSERT DATA {{ GRAPH <{G1}> {{ <{BASE}s> <{BASE}p> "o" }} }}')
    assert len(sent) == 3 and len(set(sent)) == 1
    assert store.graph_names() == [G1]


def test_a_refused_second_request_withdraws_the_receipt_and_changes_nothing(store, monkeypatch):
    first = store.replace_graph(G1, f'<{BASE}s> <{BASE}p> "one" .\n')
    before = store.dump_nquads(), store.graph_versions()
    made: list[str] = []

    def broken(meta_graph, version, replace, add):
        made.append(version)
        return ["INSERT DATA { this is not SPARQL }"]

    monkeypatch.setattr(dialect, "change_ops", broken)
    with pytest.raises(StoreError, match="refused the update"):
        store.replace_graph(G1, f'<{BASE}s> <{BASE}p> "two" .\n', expected=first)
    assert (store.dump_nquads(), store.graph_versions()) == before
    assert receipts(store, made[0]) is False
    monkeypatch.undo()
    with pytest.raises(PreconditionFailedError):
        store.replace_graph(G1, f'<{BASE}s> <{BASE}p> "three" .\n', expected=made[0])
