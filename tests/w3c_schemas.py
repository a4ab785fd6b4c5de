"""Run the W3C Web Annotation Working Group's own JSON Schemas, where a copy has been placed.

The schemas (``w3c/web-annotation-tests``: ``definitions/`` and the assertion files that the
``.test`` lists name) are not part of this repository.  When the lead places a copy at
``../shared/web-annotation-tests`` (beside the project: ``definitions/``, ``annotations/``,
``collections/``), ``tests/test_w3c_model.py`` runs every MUST assertion of
``annotationMusts.test``, ``collectionMusts.test`` and ``pageMusts.test`` with the
``jsonschema`` package, besides our own reading of the same assertions.

The schemas are draft-04 and refer to each other by bare file name (``id.json#/…``).  They say
``format: uri`` and ``format: date-time``; jsonschema checks neither without optional packages,
so both are checked here: a URI as RFC 3986 reads it (a scheme is required), a date-time as
RFC 3339 (what xsd:dateTime with a time zone is).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "web-annotation-tests"
MUST_LISTS = {"annotation": "annotations/annotationMusts.test", "collection": "collections/collectionMusts.test",
              "page": "collections/pages/pageMusts.test"}

# RFC 3986, appendix A, as one expression: scheme ":" hier-part [ "?" query ] [ "#" fragment ]
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_DEC_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"
_IPV6 = (rf"(?:(?:{_H16}:){{6}}{_LS32}|::(?:{_H16}:){{5}}{_LS32}|(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}"
         rf"|(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}|(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}"
         rf"|(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}|(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}"
         rf"|(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}|(?:(?:{_H16}:){{0,6}}{_H16})?::)")
_IP_LITERAL = rf"\[(?:{_IPV6}|v[0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+)\]"
_REG_NAME = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_AUTHORITY = rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?(?:{_IP_LITERAL}|{_IPV4}|{_REG_NAME})(?::\d*)?"
_PATH_ABEMPTY = rf"(?:/{_PCHAR}*)*"
_PATH_ABSOLUTE = rf"/(?:{_PCHAR}+(?:/{_PCHAR}*)*)?"
_PATH_ROOTLESS = rf"{_PCHAR}+(?:/{_PCHAR}*)*"
_HIER_PART = rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|{_PATH_ABSOLUTE}|{_PATH_ROOTLESS}|)"
_QUERY = rf"(?:{_PCHAR}|[/?])*"
URI = re.compile(rf"[A-Za-z][A-Za-z0-9+\-.]*:{_HIER_PART}(?:\?{_QUERY})?(?:#{_QUERY})?")
DATE_TIME = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)"
                       r"(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)", re.I)


def is_uri(value) -> bool:
    """RFC 3986 ``URI`` (not a relative reference): a scheme is required."""
    return isinstance(value, str) and URI.fullmatch(value) is not None


def is_date_time(value) -> bool:
    return isinstance(value, str) and DATE_TIME.fullmatch(value) is not None


def available(folder: Path = SHARED) -> bool:
    return (folder / "definitions").is_dir() and all((folder / t).is_file() for t in MUST_LISTS.values())


def must_validators(folder: Path = SHARED) -> dict[str, list[tuple[str, object]]]:
    """For each of annotation, collection and page: (assertion file, validator) of its MUST list."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    checker = FormatChecker(formats=())
    checker.checks("uri")(is_uri)
    checker.checks("date-time")(is_date_time)
    resources = []
    for path in sorted((folder / "definitions").glob("*.json")):
        resources.append((path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")),
                                                            default_specification=DRAFT4)))
    registry = Registry().with_resources(resources)
    out: dict[str, list[tuple[str, object]]] = {}
    for kind, test in MUST_LISTS.items():
        listed = json.loads((folder / test).read_text(encoding="utf-8"))["assertions"]
        out[kind] = []
        for rel in listed:
            schema = json.loads((folder / rel).read_text(encoding="utf-8"))
            schema.pop("id", None)  # a bare file name: refs resolve against the definitions' names
            out[kind].append((rel, Draft4Validator(schema, registry=registry, format_checker=checker)))
    return out


def failed_assertions(validators: list[tuple[str, object]], instance: dict) -> list[str]:
    return [rel for rel, v in validators if not v.is_valid(instance)]
