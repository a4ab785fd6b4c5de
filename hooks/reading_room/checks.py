"""``checks:`` on a note: the counts, sums and percentages a note states about the room's own
text, recomputed on every build.

A note that says "'coercive' appears 24 times" or "1.05 million is 34.4 percent of 3.05
million" makes a claim about the seed that an editor can get wrong (the editorial standard:
"count, don't estimate").  The note carries the computation as data::

    checks:
      - count: "(?i)\\bcoerc(?:ive|ively|ion)\\b"   # a regular expression
        equals: 24
      - percent: ["1.05", "3.05"]                   # part, whole, as printed in the seed
        equals: 34.4

``parse_checks`` turns the YAML into frozen ``Check`` models (reporting a malformed one by
``file:line``, never raising); ``verify`` recomputes every check against the seed text once
the notes are anchored, and reports a wrong one with the note's file and line, what the note
says and what the text gives.  Pure: no file system, no MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import yaml

from .errors import Problems

OPERATIONS = ("count", "sum", "difference", "percent")
SCOPES = ("source", "paragraph")
CHECK_FIELDS = {*OPERATIONS, "equals", "within", "source"}
MAX_PATTERN = 200
MAX_CHECKS = 20
# a quantified group that is itself quantified ("(a+)+", "(\w*)*"): the shape that makes a
# regular expression take exponential time on a long text
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")
FIGURE = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Check:
    operation: str  # count | sum | difference | percent
    equals: str  # the value the note states, as written in the file ("34.4", "24")
    line: int
    pattern: str = ""  # count: a regular expression
    figures: tuple[str, ...] = ()  # sum, difference, percent: figures as printed in the seed
    within: str = "source"  # source | paragraph (the paragraph that holds the note's quote)
    source: str = ""  # another source's slug; empty: the note's own

    def describe(self) -> str:
        if self.operation == "count":
            return f"count of /{self.pattern}/"
        return f"{self.operation} of {', '.join(self.figures)}"


def _scalar_text(node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else ""


def parse_checks(value, node, rel: str, line: int, where: str, ident: str, problems: Problems) -> tuple[Check, ...]:
    """The ``checks:`` list of one note (``node`` is its YAML node, for lines and for the
    stated values exactly as written).  A malformed check is reported and left out."""
    if value is None:
        return ()
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        problems.add(rel, line, f"{where}: 'checks' must be a list, each item starting with '- '",
                     "for example:  checks: [{count: \"\\\\bforced\\\\b\", equals: 3}]", ident)
        return ()
    if len(value) > MAX_CHECKS:
        problems.add(rel, line, f"{where}: {len(value)} checks; a note may carry at most {MAX_CHECKS}",
                     "check the figures the note states, not every figure of the source", ident)
        return ()
    out = []
    for item, item_node in zip(value, node.value):
        check = _check(item, item_node, rel, where, ident, problems)
        if check:
            out.append(check)
    return tuple(out)


def _fields(item_node) -> dict:
    return {k.value: v for k, v in item_node.value if isinstance(k, yaml.ScalarNode)}


def _check(item, item_node, rel, where, ident, problems: Problems) -> Check | None:
    line = item_node.start_mark.line + 1
    if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
        problems.add(rel, line, f"{where}: each check must be a mapping such as 'count: …' with 'equals: …'",
                     f"a check has one of {', '.join(OPERATIONS)}, and 'equals'", ident)
        return None
    nodes = _fields(item_node)
    bad = False
    for key in sorted(set(map(str, item)) - CHECK_FIELDS):
        problems.add(rel, nodes[key].start_mark.line + 1 if key in nodes else line, f"{where}: unknown check field '{key}'",
                     _closest(key, CHECK_FIELDS) + f"a check has one of {', '.join(OPERATIONS)}, 'equals', and optionally "
                     "'within' (source or paragraph) and 'source'", ident)
        bad = True
    operations = [op for op in OPERATIONS if op in item]
    if len(operations) != 1:
        found = ", ".join(operations) or "none"
        problems.add(rel, line, f"{where}: a check needs exactly one of {', '.join(OPERATIONS)} (found {found})",
                     "write one check per figure the note states", ident)
        return None
    operation = operations[0]
    equals = item.get("equals")
    if isinstance(equals, bool) or not isinstance(equals, (int, float, str)) or _number(str(equals)) is None:
        problems.add(rel, nodes["equals"].start_mark.line + 1 if "equals" in nodes else line,
                     f"{where}: the {operation} check needs 'equals:' with the number the note states"
                     + (f", found {equals!r}" if equals is not None else ""),
                     "for example 'equals: 24' or 'equals: 34.4'", ident)
        bad = True
    within = item.get("within", "source")
    if within not in SCOPES:
        problems.add(rel, nodes["within"].start_mark.line + 1, f"{where}: 'within' must be 'source' or 'paragraph', found {within!r}",
                     "'paragraph' counts only in the paragraph that holds the note's quote", ident)
        bad = True
    source = item.get("source", "")
    if not isinstance(source, str):
        problems.add(rel, nodes["source"].start_mark.line + 1, f"{where}: the check's 'source' must be a source's slug",
                     "leave it out to check the note's own source", ident)
        bad = True
    if source and within == "paragraph":
        problems.add(rel, line, f"{where}: 'within: paragraph' counts in the note's own paragraph, so it cannot name another 'source'",
                     "drop one of them", ident)
        bad = True
    pattern, figures = "", ()
    if operation == "count":
        pattern = item["count"]
        if not isinstance(pattern, str) or not pattern:
            problems.add(rel, line, f"{where}: 'count' must be a regular expression in quotes", "for example count: \"\\\\bforced\\\\b\"", ident)
            return None
        problem = _pattern_problem(pattern)
        if problem:
            problems.add(rel, nodes["count"].start_mark.line + 1, f"{where}: the count pattern {pattern!r} {problem}",
                         "use a plain word or a simple pattern such as '(?i)\\\\bcoerc(?:ive|ion)\\\\b'", ident)
            return None
    else:
        raw = item[operation]
        wanted = 2 if operation in ("difference", "percent") else None
        if not isinstance(raw, list) or not raw or any(isinstance(f, bool) or not isinstance(f, (str, int, float)) for f in raw) \
                or (wanted and len(raw) != wanted) or len(raw) > 50:
            shape = "[part, whole]" if operation == "percent" else "[larger, smaller]" if operation == "difference" else "[a, b, …]"
            problems.add(rel, nodes[operation].start_mark.line + 1, f"{where}: '{operation}' must be a list {shape} of figures as printed in the source",
                         f"for example {operation}: [\"27,600\", \"38,000\"] — quote each figure so that '27,600' stays as written", ident)
            return None
        figures = tuple(_scalar_text(n) for n in nodes[operation].value)
        for figure in figures:
            if not FIGURE.match(figure):
                problems.add(rel, nodes[operation].start_mark.line + 1, f"{where}: {figure!r} is not a figure",
                             "write figures as the source prints them, digits with optional thousands commas and decimals "
                             "('25,378', '3.05'); leave out words such as 'million'", ident)
                return None
    if bad:
        return None
    return Check(operation, _scalar_text(nodes["equals"]), line, pattern, figures, within, source)


def _closest(word: str, options) -> str:
    import difflib

    match = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.5)
    return f"did you mean '{match[0]}'? " if match else ""


def _pattern_problem(pattern: str) -> str:
    if len(pattern) > MAX_PATTERN:
        return f"is {len(pattern)} characters long; at most {MAX_PATTERN} are allowed"
    if NESTED_QUANTIFIER.search(pattern):
        return "repeats a group that itself repeats, which can take hours on a long text"
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regular expression ({exc})"
    if compiled.search(""):
        return "matches empty text, so it cannot be counted"
    return ""


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None


def compute(check: Check, text: str) -> tuple[Decimal | None, str]:
    """(the value the text gives, or None with the reason)."""
    if check.operation == "count":
        return Decimal(sum(1 for _ in re.finditer(check.pattern, text))), ""
    missing = [f for f in check.figures if not _occurs(f, text)]
    if missing:
        return None, "the figure" + ("s " if len(missing) > 1 else " ") + ", ".join(repr(m) for m in missing) + \
            (" do" if len(missing) > 1 else " does") + " not occur in the " + ("paragraph" if check.within == "paragraph" else "source")
    values = [_number(f) for f in check.figures]
    if check.operation == "sum":
        return sum(values, Decimal(0)), ""
    if check.operation == "difference":
        return values[0] - values[1], ""
    if values[1] == 0:
        return None, "the whole is zero"
    return values[0] / values[1] * 100, ""


def _occurs(figure: str, text: str) -> bool:
    """The figure as printed, not as part of a longer number ('1.05' is not in '21.05')."""
    return re.search(r"(?<![\d.,])" + re.escape(figure) + r"(?![\d]|[.,]\d)", text) is not None


def agrees(value: Decimal, stated: str) -> bool:
    """The computed value, rounded to the decimals the note states, equals what it states."""
    target = _number(stated)
    if target is None:
        return False
    exponent = target.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return value.quantize(places, rounding="ROUND_HALF_UP") == target


def verify(placed, texts: dict[str, str], block_text, problems: Problems) -> None:
    """Recompute every check of every placed note.  ``texts``: seed text per slug;
    ``block_text(slug, block_id)``: the text of one paragraph."""
    for p in placed:
        note = p.note
        for check in note.checks:
            slug = check.source or note.source
            if slug not in texts:
                problems.add(note.path, check.line, f"note '{note.id}': the check names source '{slug}', which is not in the room",
                             _closest(slug, texts) + "use a source's slug (its file name in seeds/ without .txt)", note.id)
                continue
            text = block_text(slug, p.anchor.block_id) if check.within == "paragraph" else texts[slug]
            value, why = compute(check, text)
            where = "the paragraph of its quote" if check.within == "paragraph" else f"{slug}"
            if value is None:
                problems.add(note.path, check.line, f"note '{note.id}': the {check.describe()} cannot be computed: {why}",
                             "quote each figure exactly as the source prints it", note.id)
            elif not agrees(value, check.equals):
                shown = value.normalize() if check.operation != "percent" else round(value, 3)
                problems.add(note.path, check.line,
                             f"note '{note.id}' states {check.equals}, but the {check.describe()} in {where} gives {shown}",
                             "correct the figure in the note's text and in its check together", note.id)
