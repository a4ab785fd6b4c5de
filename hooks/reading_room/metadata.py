"""Provenance of a seed, from the small ``<slug>.meta.yml`` beside it.

A missing file or field is not an error: the page says "not stated" and the build warns once, so
that dropping a sixth ``.txt`` into ``seeds/`` needs no code change.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problems
from .model import Meta

FIELDS = ("title", "author", "publisher", "date", "genre", "stance", "original_file", "sha256", "headnote", "collection")


def load_meta(meta_path: Path, rel: str, fallback_title: str, problems: Problems) -> Meta:
    if not meta_path.exists():
        problems.add(rel, None, "no metadata file: the page says \"not stated\" for author, date and the rest",
                     f"add {Path(rel).name} with title, author, publisher, date and genre")
        return Meta(title=fallback_title)
    try:
        data = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(rel, mark.line + 1 if mark else None, f"metadata is not valid YAML: {exc}",
                     "check the quoting of the line named")
        return Meta(title=fallback_title, path=rel)
    if not isinstance(data, dict):
        problems.add(rel, 1, "metadata must be a mapping of field: value", f"fields: {', '.join(FIELDS)}")
        return Meta(title=fallback_title, path=rel)
    unknown = set(data) - set(FIELDS)
    if unknown:
        problems.add(rel, None, f"unknown metadata field(s): {', '.join(sorted(map(str, unknown)))}",
                     f"known fields: {', '.join(FIELDS)}")
    values = {k: " ".join(str(data[k]).split()) for k in FIELDS if data.get(k) not in (None, "")}
    values.setdefault("title", fallback_title)
    return Meta(**values, path=rel)
