"""Every MUST of the W3C Web Annotation Working Group's annotation-model tests, in our own words.

The Working Group's tests (``w3c/web-annotation-tests``, run by web-platform-tests) are JSON
Schemas; their ``.test`` lists name the MUST assertions: 54 for an annotation
(``annotations/annotationMusts.test``), 10 for a collection (``collections/collectionMusts.test``)
and 15 for a page (``collections/pages/pageMusts.test``).  Their files may not be copied into
this repository, so each assertion is written again here as a function, under its WG id, from
its title and the definitions it refers to (``definitions/*.json``).  ``format: uri`` is read
as RFC 3986 reads a URI: a scheme is required (``w3c_schemas.is_uri``).  Where a copy of the
schemas is placed beside the project, ``test_w3c_model.py`` also runs the originals and checks
that they agree with these.

Vocabulary of the definitions, as used below:

- an *External Web Resource* is an object with a single URI ``id`` and no ``source`` or ``target``;
- a *Specific Resource* has one ``source`` (a URI or an External Web Resource) and at least one
  of a recognised ``purpose``, ``selector``, ``state``, ``styleClass``, ``renderedVia``, ``scope``;
- an *Embedded Textual Body* is an object whose ``value`` is a string;
- a *Choice* has ``type`` "Choice" and a non-empty ``items`` list of resources.
"""

from __future__ import annotations

from typing import Callable

from w3c_schemas import is_date_time, is_uri

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}
Check = Callable[[dict], bool]


# -- value shapes ------------------------------------------------------------------------------
def obj(v) -> bool:
    return isinstance(v, dict)


def single(v, ok) -> bool:
    """One value, bare or as a one-item list."""
    return ok(v) or (isinstance(v, list) and len(v) == 1 and ok(v[0]))


def one_or_more(v, ok) -> bool:
    return ok(v) or (isinstance(v, list) and len(v) >= 1 and all(ok(x) for x in v))


def single_uri(v) -> bool:
    return single(v, is_uri)


def has_value(v, value) -> bool:
    """``value`` is the value, or one of the values of a list."""
    return v == value or (isinstance(v, list) and value in v)


def if_present(o: dict, key: str, ok) -> bool:
    return key not in o or ok(o[key])


def single_date(v) -> bool:
    return single(v, is_date_time)


def uris(v) -> bool:
    return one_or_more(v, is_uri)


def id_found(o) -> bool:
    return obj(o) and "id" in o and single_uri(o["id"])


# -- resources -------------------------------------------------------------------------------
def is_ewr(o) -> bool:
    return id_found(o) and "source" not in o and "target" not in o


def is_textual(o) -> bool:
    return obj(o) and isinstance(o.get("value"), str)


def _typed(o, name) -> bool:
    return obj(o) and o.get("type") == name


def _start_end(o) -> bool:
    return all(isinstance(o.get(k), int) and not isinstance(o.get(k), bool) and o[k] >= 0 for k in ("start", "end"))


def _svg(o) -> bool:
    value_ok = "value" not in o or isinstance(o["value"], str)
    id_ok = "id" not in o or single_uri(o["id"])
    return value_ok and id_ok and (("value" in o) != ("id" in o))


SELECTORS: dict[str, Check] = {
    "FragmentSelector": lambda o: isinstance(o.get("value"), str) and if_present(o, "conformsTo", is_uri),
    "CssSelector": lambda o: isinstance(o.get("value"), str),
    "XPathSelector": lambda o: isinstance(o.get("value"), str),
    "TextQuoteSelector": lambda o: isinstance(o.get("exact"), str)
    and all(if_present(o, k, lambda v: isinstance(v, str)) for k in ("prefix", "suffix")),
    "TextPositionSelector": _start_end,
    "DataPositionSelector": _start_end,
    "SvgSelector": _svg,
}
SELECTORS["RangeSelector"] = lambda o: all(
    obj(o.get(k)) and sum(_typed(o[k], n) and ok(o[k]) for n, ok in SELECTORS.items() if n != "RangeSelector") == 1
    for k in ("startSelector", "endSelector"))


def _time_state(o) -> bool:
    dates_ok = (if_present(o, "sourceDate", lambda v: one_or_more(v, is_date_time))
                and all(if_present(o, k, is_date_time) for k in ("sourceDateStart", "sourceDateEnd"))
                and if_present(o, "cached", is_uri))
    one = "sourceDate" in o
    pair = "sourceDateStart" in o and "sourceDateEnd" in o
    return dates_ok and one != pair and not (one and pair)


STATES: dict[str, Check] = {"TimeState": _time_state, "HttpRequestState": lambda o: isinstance(o.get("value"), str)}


def detected(o, kinds: dict[str, Check]) -> bool:
    """``o`` is one of ``kinds`` (by its type) and meets its constraints."""
    return obj(o) and any(_typed(o, name) and ok(o) for name, ok in kinds.items())


def recognised(v, kinds: dict[str, Check]) -> bool:
    """A selector or state value: a URI, or objects that each have an id or are one of ``kinds``."""
    def one(x):
        return is_uri(x) or (obj(x) and (id_found(x) or detected(x, kinds)))
    return is_uri(v) or (obj(v) and one(v)) or (isinstance(v, list) and len(v) >= 1 and all(one(x) for x in v))


def _purpose_ok(v) -> bool:
    return one_or_more(v, lambda p: p in MOTIVATIONS)


def _source_ok(o) -> bool:
    return obj(o) and "source" in o and (is_uri(o["source"]) or is_ewr(o["source"]))


def _style_class(o) -> bool:
    return obj(o) and "styleClass" in o and "source" in o and one_or_more(o["styleClass"], lambda s: isinstance(s, str))


def _rendered_via(o) -> bool:
    if not obj(o):
        return False
    via = o.get("renderedVia")
    one = lambda x: single_uri(x) or id_found(x)  # noqa: E731
    return "renderedVia" in o and (one(via) or (isinstance(via, list) and len(via) >= 1 and all(one(x) for x in via)))


def is_specific(o) -> bool:
    if not obj(o) or not _source_ok(o):
        return False
    return (("purpose" in o and _purpose_ok(o["purpose"]))
            or ("selector" in o and recognised(o["selector"], SELECTORS))
            or ("state" in o and recognised(o["state"], STATES))
            or _style_class(o) or _rendered_via(o)
            or ("scope" in o and uris(o["scope"])))


def is_choice(o) -> bool:
    items = o.get("items") if obj(o) else None
    if not (_typed(o, "Choice") and isinstance(items, list) and items):
        return False
    return all(sum((is_specific(x), is_ewr(x), is_textual(x), is_uri(x), is_choice(x))) == 1 for x in items)


def is_target_resource(v) -> bool:
    return (isinstance(v, (str, dict))
            and sum((is_uri(v), is_choice(v), is_specific(v), is_ewr(v))) == 1)


def is_body_resource(v) -> bool:
    return isinstance(v, (str, dict)) and any((is_uri(v), is_choice(v), is_specific(v), is_ewr(v), is_textual(v)))


def members(a: dict, key: str) -> list:
    """The body or target values: one, or each of a list."""
    if key not in a:
        return []
    return a[key] if isinstance(a[key], list) else [a[key]]


# -- "if present ... valid" on a resource and on its source -----------------------------------
def _with_source(prop_ok: Check, key: str, check_items=True) -> Check:
    """Each body (or target) is a single URI, or an object whose ``prop_ok`` holds and whose
    ``source``, if any, is a single URI or an object for which it holds too."""
    def resource_ok(r) -> bool:
        if single_uri(r):
            return True
        if not obj(r) or not prop_ok(r):
            return False
        source = r.get("source")
        return "source" not in r or single_uri(source) or (obj(source) and prop_ok(source))

    def check(a: dict) -> bool:
        if key not in a:
            return True
        v = a[key]
        if isinstance(v, list) and not single_uri(v):
            return (len(v) >= 1 or not check_items) and all(resource_ok(x) for x in v)
        return resource_ok(v)
    return check


def _text_direction(o) -> bool:
    return if_present(o, "textDirection", lambda v: single(v, lambda d: d in ("ltr", "rtl", "auto")))


def _created(o) -> bool:
    return if_present(o, "created", single_date)


def _modified(o) -> bool:
    return if_present(o, "modified", single_date)


def _rights(o) -> bool:
    return if_present(o, "rights", uris)


def _canonical(o) -> bool:
    return if_present(o, "canonical", single_uri)


def _via(o) -> bool:
    return if_present(o, "via", uris)


# -- "it does NOT have ..." on a resource, its source and its items ------------------------------
def _never(bad: Check, key: str, source=True, items=True) -> Check:
    """No body (target), nor its source, nor any of its items, is ``bad``."""
    def clean(r) -> bool:
        if bad(r):
            return False
        if source and obj(r) and bad(r.get("source")):
            return False
        return not (items and obj(r) and isinstance(r.get("items"), list) and any(bad(x) for x in r["items"]))
    return lambda a: all(clean(r) for r in members(a, key))


def _ewr_with(k):
    return lambda r: is_ewr(r) and k in r


def _choice_with(k):
    return lambda r: is_choice(r) and k in r


def _textual_with(k):
    return lambda r: is_textual(r) and k in r


def _sr_with_value(r) -> bool:
    return obj(r) and _source_ok(r) and "value" in r


def _textual_body_typed_without_id(r) -> bool:
    return is_textual(r) and has_value(r.get("type"), "TextualBody") and not id_found(r)


def _no_textual_target(a: dict) -> bool:
    for r in members(a, "target"):
        if _textual_body_typed_without_id(r):
            return False
        if obj(r) and isinstance(r.get("items"), list) and any(_textual_body_typed_without_id(x) for x in r["items"]):
            return False
    return True


# -- selectors and states, wherever they are -------------------------------------------------
def _resources_ok(check_resource: Check) -> Check:
    """Body and target: each a URI or an object for which ``check_resource`` holds, it and the
    resources of its ``items``."""
    def one(r) -> bool:
        if is_uri(r):
            return True
        if not obj(r) or not check_resource(r):
            return False
        items = r.get("items")
        return not isinstance(items, list) or all(is_uri(x) or (obj(x) and check_resource(x)) for x in items)

    def check(a: dict) -> bool:
        for key in ("body", "target"):
            if key not in a:
                continue
            v = a[key]
            if isinstance(v, list):
                if not v or not all(one(x) for x in v):
                    return False
            elif not one(v):
                return False
        return True
    return check


def _values_of(r: dict, key: str) -> list:
    v = r.get(key)
    return v if isinstance(v, list) else ([v] if v is not None else [])


def _typed_ok(key: str, name: str, ok: Check) -> Check:
    """Every ``key`` value of the resource that says it is a ``name`` meets ``ok``."""
    return lambda r: all(ok(x) for x in _values_of(r, key) if _typed(x, name))


def _refined_by_ok(r: dict) -> bool:
    kinds = {**SELECTORS, **STATES}
    for key in ("selector", "state"):
        for x in _values_of(r, key):
            if obj(x) and "refinedBy" in x and not recognised(x["refinedBy"], kinds):
                return False
    return True


def _style_class_needs_stylesheet(a: dict) -> bool:
    def styled(r):
        return _style_class(r) or (obj(r) and isinstance(r.get("items"), list) and any(_style_class(x) for x in r["items"]))
    return "stylesheet" in a or not any(styled(r) for key in ("body", "target") for r in members(a, key))


ANNOTATION: list[tuple[str, Check]] = [
    ("3.1-annotationContextValidated", lambda a: "@context" in a and has_value(a["@context"], CONTEXT)),
    ("3.1-annotationIdValidated", id_found),
    ("3.1-annotationTypeValidated", lambda a: has_value(a.get("type"), "Annotation")),
    ("3.1-targetKeyFound", lambda a: "target" in a),
    ("3.2-targetObjectsRecognized", lambda a: "target" in a and (
        is_target_resource(a["target"]) or (isinstance(a["target"], list) and all(map(is_target_resource, a["target"]))))),
    ("3.2.5-notBodyBodyValue", lambda a: not ("body" in a and "bodyValue" in a)),
    ("3.2-bodyObjectsRecognized", lambda a: "body" not in a or is_body_resource(a["body"])
     or (isinstance(a["body"], list) and all(map(is_body_resource, a["body"])))),
    ("3.2.5-bodyValueValidated", lambda a: if_present(a, "bodyValue", lambda v: single(v, lambda s: isinstance(s, str)))),
    ("3.3.1-annotationCreatedValidated", _created),
    ("3.3.1-annotationModifiedValidated", _modified),
    ("3.3.1-annotationGeneratedValidated", lambda a: if_present(a, "generated", single_date)),
    ("3.3.6-annotationRightsValidated", _rights),
    ("3.3.7-annotationCanonicalValidated", _canonical),
    ("3.3.7-annotationViaValidated", _via),
    ("3.2.1-bodyTextDirectionValidated", _with_source(_text_direction, "body")),
    ("3.3.1-bodyCreatedValidated", _with_source(_created, "body", check_items=False)),
    ("3.3.1-bodyModifiedValidated", _with_source(_modified, "body")),
    ("3.3.6-bodyRightsValidated", _with_source(_rights, "body")),
    ("3.3.7-bodyCanonicalValidated", _with_source(_canonical, "body")),
    ("3.3.7-bodyViaValidated", _with_source(_via, "body")),
    ("3.2.7-bodyEWRNoItems", _never(_ewr_with("items"), "body")),
    ("3.3.5-bodyEWRNoPurpose", _never(_ewr_with("purpose"), "body")),
    ("3.2.4-bodyChoiceSetNoValue", _never(_choice_with("value"), "body", source=False, items=False)),
    ("4-bodyChoiceSetNoSource", _never(_choice_with("source"), "body", source=False, items=False)),
    ("3.3.5-bodyChoiceSetNoPurpose", _never(_choice_with("purpose"), "body", source=False, items=False)),
    ("3.2.7-bodyEmbeddedTextualNoItems", _never(_textual_with("items"), "body", source=False)),
    ("4-bodyEmbeddedTextualNoSource", _never(_textual_with("source"), "body", source=False)),
    ("3.2.7-bodySpecificResourceNoItems", _never(lambda r: obj(r) and _source_ok(r) and "items" in r, "body", source=False)),
    ("4-bodySpecificResourceNoValue", _never(_sr_with_value, "body", source=False)),
    ("3.2.1-targTextDirectionValidated", _with_source(_text_direction, "target")),
    ("3.3.1-targCreatedValidated", _with_source(_created, "target")),
    ("3.3.1-targModifiedValidated", _with_source(_modified, "target")),
    ("3.3.6-targRightsValidated", _with_source(_rights, "target")),
    ("3.3.7-targCanonicalValidated", _with_source(_canonical, "target")),
    ("3.3.7-targViaValidated", _with_source(_via, "target")),
    ("3.2.7-targEWRNoItems", _never(_ewr_with("items"), "target")),
    ("3.3.5-targEWRNoPurpose", _never(_ewr_with("purpose"), "target")),
    ("3.2.4-targChoiceSetNoValue", _never(_choice_with("value"), "target", source=False, items=False)),
    ("4-targChoiceSetNoSource", _never(_choice_with("source"), "target", source=False, items=False)),
    ("3.3.5-targChoiceSetNoPurpose", _never(_choice_with("purpose"), "target", source=False, items=False)),
    ("3.2.7-targSpecificResourceNoItems", _never(lambda r: obj(r) and _source_ok(r) and "items" in r, "target", source=False)),
    ("4-targSpecificResourceNoValue", _never(_sr_with_value, "target", source=False)),
    ("3.2.4-targNoTypeTextualBody", _no_textual_target),
    ("4.2-selectorValidIfPresent", _resources_ok(lambda r: "selector" not in r or recognised(r["selector"], SELECTORS))),
    ("4.3-stateValidIfPresent", _resources_ok(lambda r: "state" not in r or recognised(r["state"], STATES))),
    ("4.3.3-refinedByValidated", _resources_ok(_refined_by_ok)),
    ("4.4-styleClassValidIfPresent", _style_class_needs_stylesheet),
    ("4.2-fragmentCssXPathSelectorValid", _resources_ok(lambda r: all(
        _typed_ok("selector", n, SELECTORS[n])(r) for n in ("FragmentSelector", "CssSelector", "XPathSelector")))),
    ("4.2.4-textQuoteSelectorValid", _resources_ok(_typed_ok("selector", "TextQuoteSelector", SELECTORS["TextQuoteSelector"]))),
    ("4.2-TextDataPositionSelectorValid", _resources_ok(lambda r: all(
        _typed_ok("selector", n, _start_end)(r) for n in ("TextPositionSelector", "DataPositionSelector")))),
    ("4.2.7-svgSelectorValid", _resources_ok(_typed_ok("selector", "SvgSelector", _svg))),
    ("4.2.8-rangeSelectorValid", _resources_ok(_typed_ok("selector", "RangeSelector", SELECTORS["RangeSelector"]))),
    ("4.3.1-timeStateValid", _resources_ok(_typed_ok("state", "TimeState", _time_state))),
    ("4.3.2-httpRequestStateValid", _resources_ok(_typed_ok("state", "HttpRequestState", STATES["HttpRequestState"]))),
]


def _total(v) -> bool:
    return single(v, lambda n: isinstance(n, int) and not isinstance(n, bool) and n >= 0)


def _is_page_object(v) -> bool:
    return obj(v) and has_value(v.get("type"), "AnnotationPage")


def _first_ok(c: dict) -> bool:
    positive = "total" in c and single(c["total"], lambda n: isinstance(n, int) and not isinstance(n, bool) and n > 0)
    first_ok = "first" in c and single(c["first"], lambda f: is_uri(f) or _is_page_object(f))
    return first_ok if positive else True


COLLECTION: list[tuple[str, Check]] = [
    ("5.1-collectionContextValidated", lambda c: "@context" in c and has_value(c["@context"], CONTEXT)),
    ("5.1-collectionIdValidated", id_found),
    ("5.1-collectionTypeValidated", lambda c: has_value(c.get("type"), "AnnotationCollection")),
    ("5.1-collectionLabelValidated", lambda c: if_present(c, "label", lambda v: one_or_more(v, lambda s: isinstance(s, str)))),
    ("5.1-collectionTotalValidated", lambda c: if_present(c, "total", _total)),
    ("5.1-collectionFirstValidated", _first_ok),
    ("5.1-collectionLastValidated", lambda c: if_present(c, "last", single_uri)),
    ("3.3.1-collectionCreatedValidated", _created),
    ("3.3.1-collectionModifiedValidated", _modified),
    ("3.3.6-collectionRightsValidated", _rights),
]


def _page_or_first(check: Check, page_type: bool = True) -> Check:
    """A page that meets ``check``, or (exclusively) a collection whose embedded ``first`` page does."""
    def run(p: dict) -> bool:
        own = (not page_type or _is_page_object(p)) and check(p)
        first = obj(p.get("first")) and check(p["first"])
        return own != first
    return run


def _part_of(check: Check) -> Check:
    """What the page says of its collection, in ``partOf``, where that is an object."""
    return lambda p: "partOf" not in p or (obj(p["partOf"]) and check(p["partOf"]))


def _items_ok(page: dict) -> bool:
    items = page.get("items")
    return isinstance(items, list) and all(
        (obj(x) and has_value(x.get("type"), "Annotation")) or is_uri(x) for x in items)


PAGE: list[tuple[str, Check]] = [
    # the page's own context, or its collection's when the page is embedded in it
    ("5.2-pageContextValidated", lambda p: "@context" in p and has_value(p["@context"], CONTEXT)),
    ("5.2-pageIdValidated", _page_or_first(id_found)),
    ("5.2-pageTypeValidated", _page_or_first(_is_page_object, page_type=False)),
    ("5.2-pageItemsValidated", _page_or_first(_items_ok, page_type=False)),
    ("5.2-pageStartIndexValidated", _page_or_first(lambda p: if_present(p, "startIndex", _total))),
    ("5.2-pagePartOfValidated", _page_or_first(lambda p: if_present(p, "partOf", lambda v: single_uri(v) or id_found(v)))),
    ("5.2-pageNextValidated", _page_or_first(lambda p: if_present(p, "next", single_uri))),
    ("5.2-pagePrevValidated", _page_or_first(lambda p: if_present(p, "prev", single_uri))),
    # the collection as the page describes it (partOf): as the WG reads them, on a page document
    ("5.2-pageTotalValidated", _part_of(lambda c: if_present(c, "total", _total))),
    ("5.2-pageLabelValidated", _part_of(lambda c: if_present(c, "label", lambda v: one_or_more(v, lambda s: isinstance(s, str))))),
    ("5.2-pageFirstValidated", _part_of(lambda c: if_present(c, "first", lambda v: single(v, lambda f: is_uri(f) or _is_page_object(f))))),
    ("5.2-pageLastValidated", _part_of(lambda c: if_present(c, "last", single_uri))),
    ("3.3.1-pageCreatedValidated", _part_of(_created)),
    ("3.3.1-pageModifiedValidated", _part_of(_modified)),
    ("3.3.6-pageRightsValidated", _part_of(_rights)),
]
MUSTS = {"annotation": ANNOTATION, "collection": COLLECTION, "page": PAGE}


def failed(kind: str, instance: dict) -> list[str]:
    """The WG ids of the MUST assertions of ``kind`` that ``instance`` fails."""
    return [wg_id for wg_id, check in MUSTS[kind] if not check(instance)]
