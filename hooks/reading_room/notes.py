"""Annotation files → ``Note`` models, with every problem named by ``file:line``.

An annotation file is ``annotations/<source-slug>.yml`` with a list under ``annotations:`` (the
format is documented in ``docs/annotating.md`` and checked by ``annotations/schema.json``).
The loader keeps the stored selector (``Selector``: exact quote, prefix, suffix) apart from
where it lands (``reading_room.anchor``), and remembers the line of every entry so that a
note that stops matching can be found in the file at once.  It never raises on bad input:
the file is decoded by the seeds' rules (``reading_room.decode``), a key given twice in one
mapping (a missing ``- `` joins two notes into one) is reported instead of silently keeping the
last, and a field that should be text but is a list or mapping is refused, never stringified.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .decode import char_name, decode_text, hidden_characters
from .checks import Check, parse_checks
from .errors import Problems, RoomError
from .vocabulary import KINDS, STATUSES, STRENGTHS, TECHNIQUES

# libyaml's parser when PyYAML was built with it (it is, in the wheels): same results and
# marks, several times faster on a large room.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
FIELDS = {"id", "kind", "technique", "strength", "quote", "prefix", "suffix", "note", "target", "status", "author", "rule",
          "checks"}
STRUCTURED = {"target", "checks"}  # the fields whose value is a mapping or a list, not text
TARGET_FIELDS = {"source", "quote", "prefix", "suffix"}
TOP_LEVEL = {"annotations"}
SCALARS = (str, int, float)
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class Selector:
    """What the editor stored: W3C TextQuoteSelector terms."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Target:
    source: str
    selector: Selector
    line: int


@dataclass(frozen=True)
class Note:
    id: str
    kind: str
    selector: Selector
    body: str
    source: str  # slug of the source the quote is in
    path: str  # the annotation file, relative to the project root
    line: int  # line of the entry's first key
    quote_line: int
    technique: str = ""
    strength: str = ""
    target: Target | None = None
    status: str = "curated"
    author: str = ""
    rule: str = ""
    checks: tuple[Check, ...] = ()  # counts and sums the note states about the text (reading_room.checks)

    @property
    def classification(self) -> str:
        return self.technique or self.strength

    @property
    def suggested(self) -> bool:
        return self.status == "suggested"


def closest(word: str, options) -> str:
    match = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.5)
    return f"did you mean '{match[0]}'? " if match else ""


def load_annotation_file(path: Path, rel: str, slug: str, problems: Problems) -> list[Note]:
    try:
        decoded = decode_text(path.read_bytes(), rel)
    except RoomError as exc:
        problems.items.append(replace(exc.problem, message=exc.problem.message + "; no note in it was read"))
        return []
    problems.items.extend(decoded.problems)
    hidden = hidden_characters(decoded.text, rel)
    if hidden:
        problems.items.append(hidden)
    return parse_annotations(decoded.text, rel, slug, problems)


def parse_annotations(text: str, rel: str, slug: str, problems: Problems) -> list[Note]:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        position = exc.position if isinstance(exc.position, int) else 0
        bad = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        problems.add(rel, text.count("\n", 0, position) + 1,
                     f"is not valid YAML: it contains {char_name(bad)}, which YAML does not allow in a file",
                     "delete the character (a text editor that shows invisible characters helps); "
                     "no note in this file was read")
        return []
    except RecursionError:
        problems.add(rel, None, "is not valid YAML: it is nested too deeply to read",
                     "notes are a flat list under 'annotations:'; no note in this file was read")
        return []
    except yaml.YAMLError as exc:
        # YAML also breaks lines at NEL and U+2028/9, and may point one line past the end
        lines = YAML_LINE_BREAK.split(text)
        mark = getattr(exc, "problem_mark", None)
        line = min(mark.line + 1, len(lines)) if mark else None
        offending = lines[line - 1].strip() if line else ""
        col = f", column {mark.column + 1}" if mark else ""
        context, cmark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if cmark is not None and context:
            col += f" ({context} that starts on line {min(cmark.line + 1, len(lines))})"
            if not offending:
                offending = lines[min(cmark.line, len(lines) - 1)].strip()
        problems.add(rel, line, f"is not valid YAML{col}: {getattr(exc, 'problem', None) or exc}"
                     + (f" — the line reads: {offending!r}" if offending else ""),
                     "check indentation and quoting; a quote containing ': ' or '#' must be in double quotes. "
                     "No note in this file was read")
        return []
    finally:
        loader.dispose()
    if data is None:
        problems.add(rel, None, "is empty: expected 'annotations:' followed by a list of notes",
                     "delete the file, or add 'annotations: []'")
        return []
    if not isinstance(data, dict) or "annotations" not in data:
        found = f"a {_type_name(data)}" if not isinstance(data, dict) else \
            "keys " + ", ".join(repr(str(k)) for k in list(data)[:5])
        problems.add(rel, node.start_mark.line + 1, f"expected a mapping with the key 'annotations:' at the top, found {found}",
                     closest(next(iter(data), ""), TOP_LEVEL) if isinstance(data, dict) else ""
                     + "start the file with 'annotations:' and list the notes under it with '- id: …'")
        return []
    for key, line in duplicate_keys(node, deep=False):
        problems.add(rel, line, f"'{key}' appears twice at the top of the file; only the last would be read",
                     "keep one 'annotations:' list and put every note under it")
    for key in sorted(set(map(str, data)) - TOP_LEVEL):
        problems.add(rel, node_line(node, key), f"unknown top-level key '{key}': only 'annotations' is read, "
                     "so what is under it was not read", closest(key, TOP_LEVEL) + "move the notes under 'annotations:'")
    entries = data["annotations"]
    if entries is None:
        return []
    if not isinstance(entries, list):
        problems.add(rel, node_line(node, "annotations"), "'annotations' must be a list of notes, each starting with '- '",
                     "write each note as '- id: …' on its own line under 'annotations:'")
        return []
    seq_node = _value_node(node, "annotations")
    notes = []
    for index, entry in enumerate(entries):
        entry_node = seq_node.value[index] if seq_node is not None else None
        line = entry_node.start_mark.line + 1 if entry_node is not None else None
        doubled = duplicate_keys(entry_node) if entry_node is not None else []
        for key, key_line in doubled:
            problems.add(rel, key_line, f"'{key}' appears twice in one note (it began on line {line}); "
                         "YAML would silently keep only the last, so the note was not shown",
                         "a missing '- ' before 'id:' joins two notes into one: start each note with '- id:'",
                         _text(entry.get("id")) if isinstance(entry, dict) and isinstance(entry.get("id"), SCALARS) else "")
        note = _entry(entry, entry_node, rel, line, slug, problems)
        if doubled:
            continue
        if note:
            notes.append(note)
    return notes


def _value_node(mapping_node, key):
    if not isinstance(mapping_node, yaml.MappingNode):
        return None
    for k, v in mapping_node.value:
        if getattr(k, "value", None) == key:
            return v
    return None


def node_line(mapping_node, key) -> int | None:
    v = _value_node(mapping_node, key)
    return v.start_mark.line + 1 if v is not None else None


def duplicate_keys(node, deep: bool = True) -> list[tuple[str, int]]:
    """(key, line) of every key given a second time in one mapping, in ``node`` and (``deep``)
    every mapping under it."""
    out, seen_nodes, todo = [], set(), [node]
    while todo:
        current = todo.pop()
        if id(current) in seen_nodes:
            continue  # an alias points back to a node already walked
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for k, v in current.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in keys:
                        out.append((k.value, k.start_mark.line + 1))
                    keys.add(k.value)
                if deep:
                    todo.append(v)
        elif deep and isinstance(current, yaml.SequenceNode):
            todo.extend(current.value)
    return sorted(out, key=lambda item: item[1])


def _type_name(value) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if value is None:
        return "nothing"
    return "text" if isinstance(value, (str, int, float)) else type(value).__name__


def _text(value) -> str:
    """A scalar field as text; anything else (a list, a mapping) is never stringified."""
    return str(value) if isinstance(value, SCALARS) else ""


def _entry(entry, node, rel, line, slug, problems: Problems) -> Note | None:
    if not isinstance(entry, dict):
        problems.add(rel, line, f"each note must be a mapping of field: value, found {_type_name(entry)}",
                     "write '- id: …' then the other fields indented under it")
        return None
    ident = _text(entry.get("id"))
    where = f"note '{ident}'" if ident else "a note"
    ok = True
    for field in sorted(FIELDS - STRUCTURED):
        value = entry.get(field)
        if value is not None and not isinstance(value, SCALARS):
            problems.add(rel, node_line(node, field) or line, f"{where}: '{field}' must be text, found a {_type_name(value)}",
                         "put the text in double quotes on one line, or use '>-' for a folded block", ident)
            ok = False
    for field in ("id", "kind", "quote", "note"):
        if not _text(entry.get(field)).strip() and isinstance(entry.get(field), (*SCALARS, type(None))):
            problems.add(rel, line, f"{where} has no '{field}'", _FIELD_HINTS[field], ident)
            ok = False
    unknown = set(map(str, entry)) - FIELDS
    for key in sorted(unknown):
        problems.add(rel, node_line(node, key) or line, f"{where}: unknown field '{key}'",
                     closest(key, FIELDS) + f"fields are: {', '.join(sorted(FIELDS))}", ident)
    if ident and not ID_PATTERN.match(ident):
        problems.add(rel, line, f"{where}: id must be lowercase letters, digits and hyphens (it becomes a URL fragment)",
                     f"for example '{re.sub(r'[^a-z0-9-]+', '-', ident.lower()).strip('-') or 'note-1'}'", ident)
        ok = False
    kind = _text(entry.get("kind"))
    if kind and kind not in KINDS:
        problems.add(rel, node_line(node, "kind") or line, f"{where}: unknown kind '{kind}'",
                     closest(kind, KINDS) + f"kinds are: {', '.join(KINDS)}", ident)
        ok = False
    technique, strength = _text(entry.get("technique")), _text(entry.get("strength"))
    if kind == "framing" and technique not in TECHNIQUES:
        problems.add(rel, node_line(node, "technique") or line,
                     f"{where}: framing needs a technique from the vocabulary, got '{technique}'",
                     closest(technique, TECHNIQUES) + f"techniques are: {', '.join(TECHNIQUES)}", ident)
        ok = False
    if kind == "uncited" and strength not in STRENGTHS:
        problems.add(rel, node_line(node, "strength") or line,
                     f"{where}: uncited needs strength 'unsourced' or 'vague', got '{strength}'",
                     closest(strength, STRENGTHS) + "use 'unsourced' (no source at all) or 'vague' (a source that cannot be checked)", ident)
        ok = False
    status = _text(entry.get("status")) or "curated"
    if status not in STATUSES:
        problems.add(rel, node_line(node, "status") or line, f"{where}: unknown status '{status}'",
                     "use 'status: suggested' for machine suggestions, or leave it out", ident)
        ok = False
    target = None
    if kind == "rebuttal":
        target = _target(entry.get("target"), node, rel, line, slug, where, ident, problems)
        ok = ok and target is not None
    elif entry.get("target") is not None:
        problems.add(rel, node_line(node, "target") or line, f"{where}: only a rebuttal has a target (kind is '{kind}')",
                     "set 'kind: rebuttal', or remove the target", ident)
    checks = parse_checks(entry.get("checks"), _value_node(node, "checks"), rel, node_line(node, "checks") or line or 0,
                          where, ident, problems)
    if not ok:
        return None
    return Note(
        id=ident,
        kind=kind,
        selector=Selector(_text(entry["quote"]), _text(entry.get("prefix")), _text(entry.get("suffix"))),
        body=_text(entry["note"]).strip(),
        source=slug,
        path=rel,
        line=line or 0,
        quote_line=node_line(node, "quote") or line or 0,
        technique=technique if kind == "framing" else "",
        strength=strength if kind == "uncited" else "",
        target=target,
        status=status,
        author=_text(entry.get("author")),
        rule=_text(entry.get("rule")),
        checks=checks,
    )


def _target(value, node, rel, line, slug, where, ident, problems: Problems) -> Target | None:
    tline = node_line(node, "target") or line
    if not isinstance(value, dict):
        problems.add(rel, tline, f"{where}: a rebuttal needs 'target:' with 'source:' and 'quote:'",
                     "target: {source: <other source's slug>, quote: \"the disputing passage\"}", ident)
        return None
    unknown = set(map(str, value)) - TARGET_FIELDS
    if unknown:
        problems.add(rel, tline, f"{where}: unknown target field(s) {', '.join(sorted(unknown))}",
                     closest(min(unknown), TARGET_FIELDS) + "a target has source, quote, prefix and suffix", ident)
    for field in sorted(TARGET_FIELDS & set(value)):
        if value[field] is not None and not isinstance(value[field], SCALARS):
            problems.add(rel, tline, f"{where}: the target's '{field}' must be text, found a {_type_name(value[field])}",
                         "put the text in double quotes on one line", ident)
            return None
    source, quote = _text(value.get("source")), _text(value.get("quote"))
    if not source or not quote.strip():
        problems.add(rel, tline, f"{where}: the target needs both 'source' and 'quote'",
                     "source is the slug of another source (its file name in seeds/ without .txt)", ident)
        return None
    if source == slug:
        problems.add(rel, tline, f"{where}: a rebuttal must point at another source, not at its own ({slug})",
                     "use kind 'slip' for a tension inside one document, or pick the passage in another source", ident)
        return None
    return Target(source, Selector(quote, _text(value.get("prefix")), _text(value.get("suffix"))), tline or 0)


_FIELD_HINTS = {
    "id": "add a short unique id such as 'wp-framing-03'; it becomes the note's web address",
    "kind": "add 'kind:' with framing, uncited, rebuttal or slip",
    "quote": "add 'quote:' with the exact passage as it reads on the page",
    "note": "add 'note:' with one to three sentences for the reader",
}
