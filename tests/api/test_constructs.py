"""Tests of /api/v1/constructs."""

from __future__ import annotations

CONSTRUCT = "perceived_discrimination"


def test_list_constructs_searches_dutch_and_english(read_client):
    dutch = read_client.get("/api/v1/constructs", params={"q": "discriminatie", "lang": "nl"})
    english = read_client.get("/api/v1/constructs", params={"q": "discrimination"})
    assert dutch.status_code == english.status_code == 200
    assert CONSTRUCT in [c["id"] for c in dutch.json()["items"]]
    assert CONSTRUCT in [c["id"] for c in english.json()["items"]]
    item = next(c for c in dutch.json()["items"] if c["id"] == CONSTRUCT)
    assert item["label"] == item["labels"]["nl"]
    assert {"en", "nl"} <= set(item["definitions"])
    assert all(m["polarity"] in ("same", "opposite") for m in item["maps_to"])


def test_list_constructs_pages_and_counts(read_client):
    every = read_client.get("/api/v1/constructs", params={"limit": 500}).json()
    page = read_client.get("/api/v1/constructs", params={"offset": 1, "limit": 2}).json()
    assert page["total"] == every["total"] == len(every["items"])
    assert [c["id"] for c in page["items"]] == [c["id"] for c in every["items"][1:3]]


def test_list_constructs_bad_language_is_422(read_client):
    assert read_client.get("/api/v1/constructs", params={"lang": "de"}).status_code == 422


def test_read_construct_lists_findings_coded_on_it(client, auth, entry_yaml):
    body = entry_yaml("construct_src", ["construct-f1"], factor=CONSTRUCT)
    posted = client.post(
        "/api/v1/sources",
        content=body,
        params={"publish": "true"},
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert posted.status_code == 201, posted.text
    answer = client.get(f"/api/v1/constructs/{CONSTRUCT}", params={"lang": "nl"}).json()
    assert answer["id"] == CONSTRUCT
    assert [f["id"] for f in answer["findings"]] == ["construct-f1"]
    assert answer["maps_to"]


def test_read_unknown_construct_is_404_with_suggestion(read_client):
    response = read_client.get("/api/v1/constructs/perceived_discriminaton")
    assert response.status_code == 404
    assert CONSTRUCT in response.json()["suggestions"]


def test_list_constructs_shows_protective_opposites_inverted(read_client):
    page = read_client.get("/api/v1/constructs", params={"limit": 500}).json()
    opposite = [
        (c["id"], m["id"])
        for c in page["items"]
        for m in c["maps_to"]
        if m["mapping"] == "oppositeOf"
    ]
    assert opposite, "the vocabulary has protective opposites"
    assert all(
        m["polarity"] == ("opposite" if m["mapping"] == "oppositeOf" else "same")
        for c in page["items"]
        for m in c["maps_to"]
    )


def test_list_constructs_unknown_parameter_is_422(read_client):
    response = read_client.get("/api/v1/constructs", params={"qq": "x"})
    assert response.status_code == 422


# ---- proposing a construct: token, proposed until a curator publishes -------------------------
PROPOSAL = {
    "id": "test_proposed_construct",
    "label": {"en": "Test construct", "nl": "Testconstruct"},
    "definition": {"en": "A construct proposed by a test.", "nl": "Een construct uit een test."},
    "level": "micro",
    "mappings": [{"factor": "problems_at_home", "kind": "oppositeOf"}],
    "reason": "Test fixture; not a real proposal.",
    "source": "Fixture, T. (2026). Not a real study.",
    "proposed_by": "triggergraph tests",
}


def _public_ids(client) -> set[str]:
    published = client.get("/api/v1/construct-proposals/published").json()["items"]
    listed = client.get("/api/v1/constructs", params={"q": "test", "limit": 500}).json()["items"]
    return {p["id"] for p in published} | {c["id"] for c in listed}


def test_construct_proposal_needs_the_token(client, auth):
    assert client.post("/api/v1/construct-proposals", json=PROPOSAL).status_code == 401
    bad = {"Authorization": "Bearer wrong"}
    assert client.get("/api/v1/construct-proposals", headers=bad).status_code == 401
    client.post("/api/v1/construct-proposals", json=PROPOSAL, headers=auth)
    review = client.post(
        f"/api/v1/construct-proposals/{PROPOSAL['id']}/review", json={"decision": "publish"}
    )
    assert review.status_code == 401
    listed = client.get("/api/v1/construct-proposals", headers=auth).json()["items"]
    assert [p["state"] for p in listed] == ["proposed"]


def test_construct_proposal_is_not_public_until_published(client, auth):
    created = client.post("/api/v1/construct-proposals", json=PROPOSAL, headers=auth)
    assert created.status_code == 201
    assert created.json()["state"] == "proposed"
    assert created.json()["mappings"] == [
        {"factor": "problems_at_home", "kind": "oppositeOf", "polarity": "opposite"}
    ]
    assert PROPOSAL["id"] not in _public_ids(client)
    queue = client.get(
        "/api/v1/construct-proposals", params={"state": "proposed"}, headers=auth
    ).json()
    assert [p["id"] for p in queue["items"]] == [PROPOSAL["id"]]

    # a second proposal with the same id waits for the first one's review
    again = client.post("/api/v1/construct-proposals", json=PROPOSAL, headers=auth)
    assert again.status_code == 409

    published = client.post(
        f"/api/v1/construct-proposals/{PROPOSAL['id']}/review",
        json={"decision": "publish", "by": "Curator, C.", "why": "supported"},
        headers=auth,
    )
    assert published.status_code == 200
    body = published.json()
    assert (body["state"], body["reviewed_by"], body["review_why"]) == (
        "published",
        "Curator, C.",
        "supported",
    )
    assert "tg:oppositeOf <factor/problems_at_home>" in body["turtle"]
    public = client.get("/api/v1/construct-proposals/published").json()
    assert [p["id"] for p in public["items"]] == [PROPOSAL["id"]]
    # reviewed once: a second review is refused
    twice = client.post(
        f"/api/v1/construct-proposals/{PROPOSAL['id']}/review",
        json={"decision": "reject"},
        headers=auth,
    )
    assert twice.status_code == 409


def test_construct_proposal_rejected_stays_private_and_may_be_proposed_again(client, auth):
    client.post("/api/v1/construct-proposals", json=PROPOSAL, headers=auth)
    rejected = client.post(
        f"/api/v1/construct-proposals/{PROPOSAL['id']}/review",
        json={"decision": "reject", "why": "no support"},
        headers=auth,
    )
    assert rejected.json()["state"] == "rejected"
    assert PROPOSAL["id"] not in _public_ids(client)
    again = client.post("/api/v1/construct-proposals", json=PROPOSAL, headers=auth)
    assert again.status_code == 201


def test_construct_proposal_bad_mapping_is_422_naming_the_field(client, auth):
    bad = {**PROPOSAL, "mappings": [{"factor": "detentoin", "kind": "closeMatch"}]}
    response = client.post("/api/v1/construct-proposals", json=bad, headers=auth)
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["field"] == "mappings[0].factor"
    assert "detention" in problem["message"]
    taken = client.post(
        "/api/v1/construct-proposals", json={**PROPOSAL, "id": CONSTRUCT}, headers=auth
    )
    assert taken.status_code == 409
    assert client.get("/api/v1/construct-proposals", headers=auth).json()["total"] == 0


def test_construct_proposal_review_of_unknown_id_is_404(client, auth):
    response = client.post(
        "/api/v1/construct-proposals/nothing_here/review",
        json={"decision": "publish"},
        headers=auth,
    )
    assert response.status_code == 404
