"""Tests for triggergraph.proposals: checks against the vocabulary, and the Turtle it writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from triggergraph.config import BUNDLED_ONTOLOGY
from triggergraph.exceptions import ConflictError, EntryError
from triggergraph.proposals import ConstructProposal, check_proposal, proposal_turtle
from triggergraph.vocabulary import load_vocabulary

#: text that would end a Turtle literal or open markup if it were not escaped
HOSTILE = 'a "quoted" \\ back\nslash <script>alert(1)</script> \'single\' """triple"""'


def proposal(**changes) -> ConstructProposal:
    data = {
        "id": "proposal_fixture",
        "label": {"en": "Proposal fixture", "nl": "Voorstel voor een test"},
        "definition": {"en": "A construct for a test.", "nl": "Een construct voor een test."},
        "level": "meso",
        "mappings": [{"factor": "problems_at_home", "kind": "oppositeOf"}],
        "reason": "Test fixture; not a real proposal.",
        "source": "Fixture, T. (2026). Not a real study.",
        "proposed_by": "triggergraph tests",
    }
    return ConstructProposal.model_validate({**data, **changes})


def test_proposal_turtle_added_to_the_ontology_gives_the_construct(tmp_path):
    folder = tmp_path / "ontology"
    shutil.copytree(BUNDLED_ONTOLOGY, folder)
    text = {"en": HOSTILE, "nl": HOSTILE + " nl"}
    block = proposal_turtle(proposal(label=text, definition=text, reason=HOSTILE))
    with (folder / "constructs.ttl").open("a", encoding="utf-8") as ttl:
        ttl.write("\n" + block)
    vocabulary = load_vocabulary(folder, "http://example.org/tg/")
    concept = vocabulary.constructs["proposal_fixture"]
    assert concept.labels == text and concept.definitions == text
    assert concept.maps_to == (("problems_at_home", "oppositeOf"),)
    assert concept.mapping_notes == {"en": HOSTILE}
    assert concept.level == "meso"
    assert concept.sources == ("Fixture, T. (2026). Not a real study.",)


def test_check_proposal_refuses_a_taken_id():
    with pytest.raises(ConflictError, match="already a term"):
        check_proposal(proposal(id="perceived_discrimination"), load_vocabulary())


def test_check_proposal_names_unknown_and_repeated_factors():
    mappings = [
        {"factor": "detentoin", "kind": "relatedMatch"},
        {"factor": "detention", "kind": "relatedMatch"},
        {"factor": "detention", "kind": "closeMatch"},
    ]
    with pytest.raises(EntryError) as raised:
        check_proposal(proposal(mappings=mappings), load_vocabulary())
    fields = [(p.field, p.message) for p in raised.value.problems]
    assert fields[0][0] == "mappings[0].factor" and "detention" in fields[0][1]
    assert fields[1][0] == "mappings[2].factor" and "twice" in fields[1][1]
    assert len(fields) == 2


def test_proposal_model_refuses_a_bad_id_and_unknown_kind():
    with pytest.raises(ValueError, match="id"):
        proposal(id="Bad Id")
    with pytest.raises(ValueError, match="kind"):
        proposal(mappings=[{"factor": "detention", "kind": "sameAs"}])


def test_proposal_survives_restart_and_literature_reload_and_stays_private(tmp_path):
    from test_curation import reopen, touch_unrelated

    from triggergraph.config import Settings
    from triggergraph.service import EvidenceService

    literature = tmp_path / "literature"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "api", literature)
    settings = Settings(
        store="oxigraph",
        store_path=tmp_path / "store",
        literature_dir=literature,
        version_check_interval_s=0,
    )
    service = EvidenceService.open(settings)
    try:
        service.propose_construct(proposal())
        service = reopen(service)
        touch_unrelated(literature)
        service.sync_literature()
        assert service.sources_by_id["fixture_alpha"].title.endswith("(edited)")
        assert [p.id for p in service.construct_proposals("proposed").items] == ["proposal_fixture"]
        assert service.construct_proposals("published").total == 0
        assert "proposal_fixture" not in service.vocabulary.constructs
        reviewed = service.review_construct_proposal("proposal_fixture", "publish", by="C")
        assert (reviewed.state, reviewed.reviewed_by) == ("published", "C")
        service = reopen(service)
        assert service.construct_proposals("published").items[0].id == "proposal_fixture"
    finally:
        service.close()
