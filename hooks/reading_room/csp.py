"""A Content-Security-Policy for every page, as a ``<meta http-equiv>`` (a static site opened
from disk has no server to send the header).

The policy lets scripts come only from the site itself (``'self'``) and from the theme's own
inline scripts, each allowed by its SHA-256 hash; it has no ``'unsafe-inline'``, so an inline
event handler (``onerror=``, ``onclick=``) or a ``javascript:`` URL never runs, and no host is
named, so nothing is fetched from the network.  Only inline scripts the theme is known to write
are hashed (``THEME_SCRIPTS``, the digests of Material 9.8's three, with the base address taken
out): a script anywhere else on the page — in the content, or in a title that reached the
navigation — is not, so even one that slipped past the escaping would not run.  A new Material
release with other inline scripts makes ``tests/test_hostile_build.py`` fail, naming them.

Material's search runs in a Web Worker; from ``file://`` a worker cannot start, so the
vendored iframe-worker shim writes a small inline script into a blank iframe, which inherits
this policy.  Its text depends only on the worker's address, so its hash is added too.

Pure: text in, text out; the hook ``on_post_page`` calls ``add_policy``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache

# An inline <script> that runs: no src, and a JavaScript type (or none).  JSON islands such as
# Material's __config are data, not scripts, and need no hash.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc\s*=)(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?(?!text/javascript|module|application/javascript)[\w/+.-]+""", re.I)
HEAD = re.compile(r"<head[^>]*>", re.I)
CONFIG_ATTRS = re.compile(r' id="__config" type="application/json"')
BASE_URL = re.compile(r'new URL\("[^"\\<]*",location\)')
# sha256 of each inline script of mkdocs-material 9.8.2's templates, base address taken out:
# the scope and storage helpers, the colour palette, and the content-tabs anchor.
THEME_SCRIPTS = frozenset({
    "7eb3684fdacd2881f67b9428983273a29d8774d8bc82622af9b65a8ec1032a90",
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e",
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f",
})

# What the iframe-worker shim (docs/assets/vendor/iframe-worker-1.0.4/shim.js) writes into its
# iframe, with ``{url}`` the worker's address; the two functions are copied from the shim as
# the browser prints them (``String(function)``), which is what ends up in the script.
SHIM_POST_MESSAGE = 'function c(s,n){parent.postMessage(s,n||"*")}'
SHIM_IMPORT_SCRIPTS = ('function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document.'
                       'createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())}')
SHIM_SCRIPT = ("postMessage={post};importScripts={imports};addEventListener(\"error\",({{error}})=>"
               "{{parent.dispatchEvent(new ErrorEvent(\"error\",{{filename:\"{url}\",error}}))}})")

DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],  # + the hashes of this page's template scripts
    "style-src": ["'self'", "'unsafe-inline'"],  # the theme sets style attributes from its scripts
    "img-src": ["'self'", "data:"],  # the theme's icons are data: URLs in its stylesheet
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


@lru_cache(maxsize=64)  # every page carries the same few scripts
def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _scripts(html: str) -> tuple[list[str], str | None]:
    """(bodies of the inline scripts that run, text of Material's ``__config``) in one pass over
    the page: a source page can be a megabyte, and the config sits at its very end."""
    bodies, config = [], None
    for m in INLINE_SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if not DATA_TYPE.search(attrs):
            bodies.append(m.group("body"))
        elif config is None and CONFIG_ATTRS.fullmatch(attrs):
            config = m.group("body")
    return bodies, config


def inline_scripts(html: str) -> list[str]:
    return _scripts(html)[0]


def worker_scripts(html: str, config: str | None = None) -> list[str]:
    """The inline script the iframe-worker shim will write for this page's search worker."""
    if config is None:
        config = _scripts(html)[1]
    if config is None:
        return []
    try:
        worker = json.loads(config).get("search")
    except (ValueError, AttributeError):
        return []
    if not worker:
        return []
    return [SHIM_SCRIPT.format(post=SHIM_POST_MESSAGE, imports=SHIM_IMPORT_SCRIPTS, url=worker)]


@lru_cache(maxsize=64)
def theme_digest(body: str) -> str:
    """Digest of an inline script with the page's base address (``"."``, ``".."``) taken out."""
    return hashlib.sha256(BASE_URL.sub('new URL("",location)', body).encode("utf-8")).hexdigest()


def unknown_scripts(html: str) -> list[str]:
    """Inline scripts on the page that the policy does not allow (none, on a sound page)."""
    return [body for body in inline_scripts(html) if theme_digest(body) not in THEME_SCRIPTS]


def _outside_main(html: str) -> str:
    """The page without its ``<main>`` up to the last ``</article>``: the navigation and the text,
    where the theme writes no inline script.  In a room of 500 sources the navigation is most of
    every page (180 of 210 KB), so scanning it made the policy cost grow with the square of the
    room.  The cut can only drop scripts from the scan, never add one: a theme script moved into
    ``<main>`` by a new release would lose its hash, and ``tests/test_hostile_build.py`` fails."""
    start = html.find("<main")
    end = html.rfind("</article>")
    if start == -1 or end < start:
        return html
    return html[:start] + html[end:]


def policy(html: str) -> str:
    """The policy for one page: the theme's own inline scripts and the worker shim's, hashed."""
    hashes = []
    bodies, config = _scripts(_outside_main(html))
    allowed = [body for body in bodies if theme_digest(body) in THEME_SCRIPTS]
    for body in allowed + worker_scripts(html, config):
        if script_hash(body) not in hashes:
            hashes.append(script_hash(body))
    directives = {**DIRECTIVES, "script-src": DIRECTIVES["script-src"] + hashes}
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_policy(html: str) -> str:
    """``html`` with the policy as the first element of its ``<head>`` (a meta policy covers
    only what comes after it)."""
    m = HEAD.search(html)
    if not m:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    # one copy of the page, not three: a source page can be a megabyte
    return html.replace(m.group(0), m.group(0) + "\n    " + meta, 1)
