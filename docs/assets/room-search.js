/* Search over the room's own index (reading_room.search_index), from file:// with no network.

   The index is many small scripts under search/rr/: meta.js (pages, entry kinds, where each term
   chunk and entry pack starts), term chunks t<k>.js and entry packs d<k>.js.  Each is loaded on
   demand with a <script> tag, which works from file:// where fetch() does not, and hands its data
   to ReadingRoomSearch.load.  A query loads the chunks of its terms, intersects their postings,
   then the packs of the results it shows, for their snippets.

   The box is Material's (overrides/partials/search.html) and keeps its keyboard: / s f open it,
   arrows move through the results, Enter opens the first, Esc closes.  A result opens its page at
   the passage or note, with ?h= naming the words, which this script then marks on that page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL("..", script ? script.src : location.href);  // assets/room-search.js -> the site
  var TOKEN = /[\p{L}\p{N}]+/gu;
  var WORD_END = /[\p{L}\p{N}]$/u;
  var PAGE_SIZE = 10, SHOWN_PER_PAGE = 3, MAX_PREFIX_CHUNKS = 8, PREFIX_MIN = 2;
  var store = {}, waiting = {}, pending = {};
  var meta = null, entryPage = null, stop = null;

  function fold(s) { return s.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  function tokens(s) { return fold(s).match(TOKEN) || []; }
  /* the index terms of a text, as reading_room.search_index.terms makes them */
  function terms(s) {
    return tokens(s).filter(function (t) { return t.length >= meta.minTerm && t.length <= meta.maxTerm && !stop.has(t); });
  }

  window.ReadingRoomSearch = {
    load: function (kind, number, data) {
      var key = kind + (number === null ? "" : number);
      store[key] = data;
      if (waiting[key]) { waiting[key](data); delete waiting[key]; }
    },
    terms: function (s) { return meta ? terms(s) : null; },  // for the tests: the tokeniser as the index has it
    ready: function () { return need("meta", null); }
  };

  function need(kind, number) {
    var key = kind + (number === null ? "" : number);
    if (key in store) return Promise.resolve(store[key]);
    if (!pending[key]) {
      pending[key] = new Promise(function (resolve, reject) {
        waiting[key] = resolve;
        var s = document.createElement("script");
        s.src = new URL("search/rr/" + key + ".js", base).href;
        s.onerror = function () { delete pending[key]; reject(new Error("cannot load " + s.src)); };
        document.head.appendChild(s);
      });
    }
    return pending[key];
  }

  function decode(code, out) {  // search_index.encode_postings, reversed; calls out(entry)
    var more = meta.alphabet[0], fin = meta.alphabet[1];
    var value = 0, prev = -1;
    for (var i = 0; i < code.length; i++) {
      var c = code.charAt(i), k = more.indexOf(c);
      if (k >= 0) { value = value * 32 + k; continue; }
      prev += value * 32 + fin.indexOf(c);
      value = 0;
      out(prev);
    }
  }

  function chunkOf(term) {  // the last chunk whose first term is <= term
    var lo = 0, hi = meta.chunks.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.chunks[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function chunksFor(q) {
    var first = chunkOf(q.term), list = [first];
    if (q.prefix) {
      for (var i = first + 1; i < meta.chunks.length && meta.chunks[i].lastIndexOf(q.term, 0) === 0; i++) {
        if (list.length >= MAX_PREFIX_CHUNKS) { q.cut = true; break; }
        list.push(i);
      }
    }
    return list;
  }

  /* the query's terms; the last one, still being typed, is a prefix */
  function parse(text) {
    var words = tokens(text), open = WORD_END.test(text), out = [];
    words.forEach(function (w, i) {
      if (w.length > meta.maxTerm) w = w.slice(0, meta.maxTerm);
      if (open && i === words.length - 1 && w.length >= PREFIX_MIN) out.push({ term: w, prefix: true });
      else if (w.length >= meta.minTerm && !stop.has(w)) out.push({ term: w, prefix: false });
    });
    return out;
  }

  function kindAllowed(filter) {
    var kinds = meta.kinds;
    return function (code) {
      if (!filter) return true;
      var kind = kinds[code >> 1];
      if (filter === "text") return kind === "text" || kind === "page";
      if (filter === "notes") return kind !== "text" && kind !== "page";
      return kind === filter;
    };
  }

  /* entries holding every term, grouped by page, best pages first */
  function run(query, filters) {
    var n = meta.entryKinds.length, counts = new Uint8Array(n), fin = meta.alphabet[1];
    var weight = 0;
    query.forEach(function (q, j) {
      var df = 0;
      q.chunks.forEach(function (k) {
        var chunk = store["t" + k];
        var take = function (e) { if (counts[e] === j) { counts[e] = j + 1; df++; } };
        if (!q.prefix) { if (Object.prototype.hasOwnProperty.call(chunk, q.term)) decode(chunk[q.term], take); return; }
        for (var term in chunk) if (term.lastIndexOf(q.term, 0) === 0) decode(chunk[term], take);
      });
      weight += Math.log(1 + n / (1 + df));
    });
    var allowed = kindAllowed(filters.kind), coll = filters.collection ? +filters.collection : 0;
    var byPage = new Map(), T = query.length;
    for (var e = 0; e < n; e++) {
      if (counts[e] !== T) continue;
      if (!allowed(fin.indexOf(meta.entryKinds.charAt(e)))) continue;
      var p = entryPage[e];
      if (coll && meta.pages[p][2] !== coll) continue;
      var list = byPage.get(p);
      if (!list) byPage.set(p, list = []);
      list.push(e);
    }
    var pages = [];
    byPage.forEach(function (entries, p) {
      var title = tokens(meta.pages[p][1]), inTitle = 0;
      query.forEach(function (q) {
        if (title.some(function (t) { return q.prefix ? t.lastIndexOf(q.term, 0) === 0 : t === q.term; })) inTitle++;
      });
      pages.push({ page: p, entries: entries, score: weight * (1 + inTitle) + Math.log(1 + entries.length) });
    });
    pages.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    return pages;
  }

  function packOf(entry) {
    var lo = 0, hi = meta.packs.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.packs[mid] <= entry) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function record(entry) { var k = packOf(entry); return store["d" + k][entry - meta.packs[k]]; }

  function matcher(query) {
    return function (word) {
      var w = fold(word);
      return query.some(function (q) { return q.prefix ? w.lastIndexOf(q.term, 0) === 0 : w === q.term; });
    };
  }

  /* the block of an entry with most of the query's words, and a snippet of it around the first */
  function best(rec, matches) {
    var top = null;
    rec.forEach(function (block) {
      var seen = new Set(), first = -1, m;
      TOKEN.lastIndex = 0;
      while ((m = TOKEN.exec(block[1]))) {
        if (matches(m[0])) { seen.add(fold(m[0])); if (first < 0) first = m.index; }
      }
      if (!top || seen.size > top.score) top = { id: block[0], text: block[1], at: Math.max(first, 0), score: seen.size };
    });
    return top;
  }

  function snippet(text, at, matches) {
    var start = Math.max(0, at - 60), end = Math.min(text.length, start + 220);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > at) end = sp2; }
    var p = document.createElement("p"), part = text.slice(start, end), last = 0, m;
    if (start > 0) p.appendChild(document.createTextNode("… "));
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(part))) {
      if (!matches(m[0])) continue;
      p.appendChild(document.createTextNode(part.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      p.appendChild(mark);
      last = m.index + m[0].length;
    }
    p.appendChild(document.createTextNode(part.slice(last) + (end < text.length ? " …" : "")));
    return p;
  }

  var LABELS = { text: "In the text", page: "On this page", framing: "Framing note", uncited: "Uncited note",
                 rebuttal: "Rebuttal note", slip: "Slip note" };

  function href(page, anchor, query) {
    var url = new URL(page[0], base);
    url.searchParams.set("h", query.map(function (q) { return q.term + (q.prefix ? "*" : ""); }).join(" "));
    url.hash = anchor || "";
    return url.href;
  }

  function renderPage(hit, query, matches, score) {
    var page = meta.pages[hit.page], li = document.createElement("li");
    li.className = "md-search-result__item";
    var fin = meta.alphabet[1];
    hit.entries.slice(0, SHOWN_PER_PAGE).forEach(function (e, i) {
      var b = best(record(e), matches);
      var kind = meta.kinds[fin.indexOf(meta.entryKinds.charAt(e)) >> 1];
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.tabIndex = -1;
      a.href = href(page, b.id === "title" ? "" : b.id, query);
      var art = document.createElement("article");
      art.className = "md-search-result__article md-typeset";
      art.setAttribute("data-md-score", score.toFixed(2));
      if (i === 0) {
        var icon = document.createElement("div");
        icon.className = "md-search-result__icon md-icon";
        art.appendChild(icon);
        var h1 = document.createElement("h1");
        h1.textContent = page[1];
        art.appendChild(h1);
      }
      if (i > 0 || kind !== "text" || b.id !== "title") {
        if (kind !== "text" && kind !== "page") {
          var h2 = document.createElement("h2");
          h2.textContent = LABELS[kind] || kind;
          art.appendChild(h2);
        }
        art.appendChild(snippet(b.text, b.at, matches));
      }
      a.appendChild(art);
      li.appendChild(a);
    });
    if (hit.entries.length > SHOWN_PER_PAGE) {
      var more = document.createElement("p");
      more.className = "md-search-result__terms";
      var k = hit.entries.length - SHOWN_PER_PAGE;
      more.textContent = k === 1 ? t("search.result.more.one", "1 more on this page")
                                 : t("search.result.more.other", "# more on this page").replace("#", k.toLocaleString("en"));
      li.appendChild(more);
    }
    return li;
  }

  function packsFor(hits) {
    var want = new Set();
    hits.forEach(function (h) { h.entries.slice(0, SHOWN_PER_PAGE).forEach(function (e) { want.add(packOf(e)); }); });
    return Promise.all(Array.from(want, function (k) { return need("d", k); }));
  }

  /* -- the box ------------------------------------------------------------------------------ */
  var box = document.querySelector("[data-md-component=rr-search]");
  var translations = {};
  try { translations = JSON.parse(document.getElementById("__config").textContent).translations || {}; } catch (e) {}
  function t(key, fallback) { return translations[key] || fallback; }

  function highlightHere() {
    var h = new URL(location.href).searchParams.get("h");
    if (!h) return;
    var query = h.split(" ").filter(Boolean).map(function (w) {
      var prefix = w.charAt(w.length - 1) === "*";
      return { term: fold(prefix ? w.slice(0, -1) : w), prefix: prefix };
    });
    if (!query.length) return;
    var id = decodeURIComponent(location.hash.slice(1));
    var scope = (id && document.getElementById(id)) || document.querySelector(".md-content article") || document.body;
    var matches = matcher(query), marks = 0;
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentNode.closest("script, style, mark, .rr-permalink, .headerlink") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue, m, last = 0, frag = null;
      TOKEN.lastIndex = 0;
      while ((m = TOKEN.exec(text)) && marks < 500) {
        if (!matches(m[0])) continue;
        frag = frag || document.createDocumentFragment();
        frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = m[0];
        frag.appendChild(mark);
        last = m.index + m[0].length;
        marks++;
      }
      if (frag) {
        frag.appendChild(document.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(frag, node);
      }
    });
    if (marks) document.dispatchEvent(new Event("rr:layout"));
  }
  highlightHere();

  if (!box) return;
  var toggle = document.getElementById("__search");
  var input = box.querySelector("[data-rr-search-query]");
  var form = input.form;
  var result = box.querySelector("[data-rr-search-result]");
  var info = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var scrollwrap = box.querySelector(".md-search__scrollwrap");
  var filterBox = box.querySelector("[data-rr-search-filters]");
  var kindSelect = box.querySelector("[data-rr-search-kind]");
  var collSelect = box.querySelector("[data-rr-search-collection]");
  var sequence = 0, shown = null;

  function open(on) { if (toggle) toggle.checked = on; }

  need("meta", null).then(function (m) {
    window.ReadingRoomSearch.readyAt = performance.now();  // for the benchmark: ms since the page opened
    meta = m;
    stop = new Set(m.stopWords);
    entryPage = new Int32Array(m.entryKinds.length);
    var e = 0;
    m.pages.forEach(function (page, p) { for (var k = 0; k < page[3]; k++) entryPage[e++] = p; });
    m.kinds.slice(2).forEach(function (kind) {
      var o = document.createElement("option");
      o.value = kind;
      o.textContent = (LABELS[kind] || kind).toLowerCase() + "s only";
      kindSelect.appendChild(o);
    });
    if (m.collections.length) {
      m.collections.forEach(function (name, i) {
        var o = document.createElement("option");
        o.value = String(i + 1);
        o.textContent = name;
        collSelect.appendChild(o);
      });
      box.querySelector("[data-rr-search-collection-label]").hidden = false;
    }
    filterBox.hidden = false;
    search();
  }, function () {
    info.textContent = "The search index is missing: build the site with its hooks (make build).";
  });

  function search() {
    if (!meta) return;
    var mine = ++sequence, text = input.value;
    var query = parse(text);
    result.removeAttribute("data-rr-search-done");
    if (!text.trim()) { list.textContent = ""; info.textContent = t("search.result.placeholder", "Type to start searching"); return; }
    if (!query.length) { list.textContent = ""; info.textContent = t("search.result.none", "No matching documents"); done(text); return; }
    query.forEach(function (q) { q.chunks = chunksFor(q); });
    var chunks = new Set();
    query.forEach(function (q) { q.chunks.forEach(function (k) { chunks.add(k); }); });
    Promise.all(Array.from(chunks, function (k) { return need("t", k); })).then(function () {
      if (mine !== sequence) return null;
      var hits = run(query, { kind: kindSelect.value, collection: collSelect.value });
      return packsFor(hits.slice(0, PAGE_SIZE)).then(function () {
        if (mine !== sequence) return;
        shown = { hits: hits, query: query, matches: matcher(query), count: 0 };
        list.textContent = "";
        info.textContent = hits.length === 0 ? t("search.result.none", "No matching documents")
          : hits.length === 1 ? t("search.result.one", "1 matching document")
          : t("search.result.other", "# matching documents").replace("#", hits.length.toLocaleString("en"));
        if (query.some(function (q) { return q.cut; })) info.textContent += " (type more letters of the last word for all)";
        more(function () { done(text); });
      });
    }).catch(function (err) { if (mine === sequence) info.textContent = String(err.message || err); });
  }

  /* the results of this query are drawn (tests and the benchmark wait for it) */
  function done(text) { result.setAttribute("data-rr-search-done", text); }

  function more(then) {  // the next page of results, when the list is scrolled to its end
    if (!shown || shown.count >= shown.hits.length || shown.busy) { if (then) then(); return; }
    var batch = shown.hits.slice(shown.count, shown.count + PAGE_SIZE), current = shown;
    current.busy = true;
    packsFor(batch).then(function () {
      current.busy = false;
      if (current !== shown) return;
      batch.forEach(function (hit) { list.appendChild(renderPage(hit, current.query, current.matches, 1)); });
      current.count += batch.length;
      if (then) then();
    });
  }

  input.addEventListener("input", search);
  kindSelect.addEventListener("change", search);
  collSelect.addEventListener("change", search);
  input.addEventListener("focus", function () { open(true); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { search(); input.focus(); }, 0); });
  scrollwrap.addEventListener("scroll", function () {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 40) more();
  });
  box.addEventListener("click", function (ev) {
    if (ev.target instanceof Element && ev.target.closest("a")) open(false);
  });
  // Tab through the box (its filters too); leaving it closes it, as Tab does in Material's
  box.addEventListener("focusout", function (ev) {
    if (ev.relatedTarget && !box.contains(ev.relatedTarget)) open(false);
  });
  var headerLabel = document.querySelector("header [for=__search]");
  if (headerLabel) headerLabel.addEventListener("click", function () { input.focus(); });

  function typing(el) {
    if (!el) return false;
    if (el instanceof HTMLInputElement) return el.type !== "radio" && el.type !== "checkbox";
    return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement || el.isContentEditable;
  }

  /* Material's keys, as its own search binds them */
  window.addEventListener("keydown", function (ev) {
    if (ev.metaKey || ev.ctrlKey || ev.altKey) return;
    var active = document.activeElement;
    if (!(toggle && toggle.checked)) {
      if ((ev.key === "f" || ev.key === "s" || ev.key === "/") && !typing(active)) {
        input.focus();
        input.select();
        ev.preventDefault();
        ev.stopPropagation();
      }
      return;
    }
    switch (ev.key) {
      case "Enter":
        if (active === input) {
          var first = list.querySelector(".md-search-result__link");
          if (first) first.click();
          ev.preventDefault();
        }
        break;
      case "Escape":
        open(false);
        input.blur();
        break;
      case "ArrowUp":
      case "ArrowDown":
        if (active && active.tagName === "SELECT") break;
        var els = [input].concat(Array.prototype.slice.call(list.querySelectorAll("[href]")));
        var i = Math.max(0, els.indexOf(active));
        els[(i + els.length + (ev.key === "ArrowUp" ? -1 : 1)) % els.length].focus();
        ev.preventDefault();
        break;
      default:
        if (active !== input && !(active && box.contains(active) && active.tagName === "SELECT") && ev.key.length === 1) input.focus();
    }
  }, true);
})();
