"""The room's IRIs (reading_room.iri): absolute, stable, and under site_url when there is one."""

from __future__ import annotations

import hashlib

from reading_room.iri import RoomIris, ni_sha256


def test_ni_is_rfc_6920():
    # RFC 6920, section 8.1: the SHA-256 of "Hello World!"
    assert ni_sha256(hashlib.sha256(b"Hello World!").hexdigest()) == \
        "ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk"


def test_a_room_without_an_address_names_things_by_what_they_are():
    sha = hashlib.sha256(b"seed").hexdigest()
    room = RoomIris()
    assert room.room.startswith("urn:uuid:") and room.room == RoomIris().room  # stable
    assert room.source("any-slug", sha) == room.source("other-slug", sha) == ni_sha256(sha)
    assert room.annotation("n1", "x") == room.canonical("n1") != room.canonical("n2")
    assert room.canonical("n1") != RoomIris(name="Another room").canonical("n1")
    assert len({room.room, room.collection, room.collection_page, room.canonical("n1")}) == 4
    assert all(i.startswith("urn:uuid:") for i in (room.collection, room.collection_page))
    assert room.page("assignments/a.html").startswith("urn:uuid:") and room.page("a.html") != room.page("b.html")


def test_a_published_room_names_things_under_its_address():
    sha = hashlib.sha256(b"seed").hexdigest()
    for url in ("https://example.org/room", "https://example.org/room/"):
        room = RoomIris(site_url=url)
        assert room.room == "https://example.org/room/"
        assert room.source("x", sha) == "https://example.org/room/sources/x.html"
        assert room.annotation("n1", "x") == "https://example.org/room/sources/x.html#n1"
        assert room.collection == "https://example.org/room/annotations.jsonld"
        assert room.page("assignments/a.html") == "https://example.org/room/assignments/a.html"
        assert room.collection_page == "https://example.org/room/annotations.jsonld#page1"
    # the same note has the same canonical IRI, published or on a USB stick
    assert RoomIris(site_url="https://example.org/").canonical("n1") == RoomIris().canonical("n1")
