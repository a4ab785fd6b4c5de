"""The room's identifiers: one absolute IRI for the room, each source, each note and the export.

The W3C Web Annotation model wants every ``id`` and ``source`` to be an absolute IRI.  A room
published at an address (``site_url`` in ``mkdocs.yml``) names everything under it.  A room on a
USB stick or a school share has no address, and a ``file:///`` path would change with the
folder it is copied to, so it names things by what they are instead:

- the room: ``urn:uuid:`` (version 5) of the room's name (``site_name``);
- a source: ``ni:///sha-256;…`` (RFC 6920), the SHA-256 of its seed file in base64url, so the
  same text has the same IRI in every copy of every room, and anyone can check it;
- a note: ``urn:uuid:`` (version 5) of the note's id within the room's UUID.  This is also every
  note's ``canonical`` IRI, published or not;
- the export and its page, and any other page of the site (an assignment): ``urn:uuid:``
  (version 5) of their names within the room's UUID.

The page's HTML carries the room's and the source's IRI (``data-rr-room``, ``data-rr-iri``) on
every element that carries ``data-sha256``, so that notes written in the browser name the
same documents.  docs/annotating.md says this for editors and teachers.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

DEFAULT_NAME = "The Reading Room"
# the namespace of every room's UUID: a room is the UUID of "reading-room:<its name>" in it
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://reading-room.invalid/")


def ni_sha256(hex_digest: str) -> str:
    """RFC 6920 named information: ``ni:///sha-256;<base64url, unpadded>``."""
    raw = bytes.fromhex(hex_digest)
    return "ni:///sha-256;" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class RoomIris:
    site_url: str = ""  # "" for a room with no address (the USB stick)
    name: str = DEFAULT_NAME

    @property
    def base(self) -> str:
        url = self.site_url.strip()
        return url if not url or url.endswith("/") else url + "/"

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, "reading-room:" + self.name)

    def _urn(self, what: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.uuid, what)}"

    @property
    def room(self) -> str:
        return self.base or f"urn:uuid:{self.uuid}"

    def source(self, slug: str, sha256: str) -> str:
        if self.base:
            return f"{self.base}sources/{slug}.html"
        if len(sha256) == 64:
            return ni_sha256(sha256)
        return self._urn("source:" + slug)  # a source read without its bytes (tests only)

    def page(self, path: str) -> str:
        """Any other page of the site (``path`` as built, e.g. ``assignments/x.html``): what a
        student's answer targets, its question being on an assignment page."""
        return f"{self.base}{path}" if self.base else self._urn("page:" + path)

    def canonical(self, note_id: str) -> str:
        return self._urn("note:" + note_id)

    def annotation(self, note_id: str, slug: str) -> str:
        """Published: the note in its page's margin; otherwise its canonical IRI."""
        return f"{self.base}sources/{slug}.html#{note_id}" if self.base else self.canonical(note_id)

    @property
    def collection(self) -> str:
        return f"{self.base}annotations.jsonld" if self.base else self._urn("annotations.jsonld")

    @property
    def collection_page(self) -> str:
        return f"{self.base}annotations.jsonld#page1" if self.base else self._urn("annotations.jsonld#page1")
