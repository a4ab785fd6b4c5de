/* The student's own margin, and the teacher's reading of it.  Everything stays in this browser
   (localStorage, one key per room) until the student exports it; an imported file is data only:
   checked against the annotation shape, every text shown with textContent, nothing run.
   Anchoring follows the room's rules (hooks/reading_room/anchor.py): the quote exactly, or
   exactly once both are normalised; never fuzzy.  A note that no longer matches is listed as
   unplaced, never dropped. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var SITE = doc.currentScript ? doc.currentScript.src.replace(/assets\/mine\.js(\?.*)?$/, "") : location.href;
  var CAT = window.ReadingRoomCatalogue || { sources: [], pages: [] };
  var narrow = window.matchMedia("(max-width: 76.234375em)");  // room.css: notes open under their block
  var CONTEXT = 32, MAX_BYTES = 5 * 1024 * 1024, MAX_ITEMS = 5000, MAX_TEXT = 20000;
  var SKIP = ".rr-notes,.rr-ref,.rr-permalink,.headerlink,.rr-sr,.rr-backref,.rr-absent,.rr-speaker," +
    ".rr-pre__why,.rr-copybox,.rr-invisible,.rr-mine-ui";
  function $$(sel, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(sel)); }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function button(text, cls, onclick) {
    var b = el("button", "rr-mine-btn" + (cls ? " " + cls : ""), text);
    b.type = "button";
    b.addEventListener("click", onclick);
    return b;
  }
  var seedEl = doc.querySelector("[data-rr-room]");
  var ROOM = CAT.room || (seedEl && seedEl.getAttribute("data-rr-room")) || "local";
  var KEY = "rr-student:" + ROOM, IMPORTS = "rr-imported:" + ROOM, HIDDEN = "rr-hidden-kinds";
  function read(key) { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function str(v, max) { return typeof v === "string" ? v.slice(0, max || MAX_TEXT) : ""; }
  function uid() {
    var b = new Uint8Array(16);
    (window.crypto || {}).getRandomValues ? crypto.getRandomValues(b) : b.forEach(function (_, i) { b[i] = Math.random() * 256; });
    b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function now() { return new Date().toISOString().replace(/\.\d+Z$/, "Z"); }

  // -- what the student keeps ------------------------------------------------------------
  var mine = read(KEY) || {};
  mine = { name: str(mine.name, 100), notes: (mine.notes || []).filter(okNote), answers: (mine.answers || []).filter(okAnswer) };
  function okNote(n) {
    if (!n || typeof n.source !== "string" || typeof n.exact !== "string" || !n.exact) return false;
    if (typeof n.id !== "string" || !/^[0-9a-f]{8}-[0-9a-f-]{27}$/.test(n.id)) n.id = uid();  // ids go into selectors
    n.text = str(n.text);
    return true;
  }
  function okAnswer(a) { return a && typeof a.page === "string" && typeof a.question === "string" && typeof a.text === "string"; }
  var imports = (read(IMPORTS) || []).filter(function (f) { return f && typeof f.file === "string" && Array.isArray(f.notes); });
  function saveMine() {
    if (write(KEY, mine)) return true;
    say("This browser would not keep your notes (its storage is full or switched off): export them now.");
    return false;
  }

  // -- the room's normalisation (anchor.py normalise_with_map), offsets mapped back --------
  var FOLD = { "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
    "‛": "'", "′": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-" };
  var INVISIBLE = /^[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]$|^\udb40[\udc00-\udc7f]$/;
  var MARK = /^\p{M}$/u, SPACE = /^[\s\x1c-\x1f\x85]$/;
  function normMap(text) {
    var out = [], starts = [], ends = [], space = false, chars = Array.from(text), pos = 0, i = 0;
    while (i < chars.length) {
      var a = pos, piece = chars[i++];
      pos += chars[i - 1].length;
      while (i < chars.length && MARK.test(chars[i])) { piece += chars[i]; pos += chars[i++].length; }
      if (INVISIBLE.test(piece)) continue;
      if (SPACE.test(piece)) {
        if (space) { ends[ends.length - 1] = pos; continue; }
        space = true; out.push(" "); starts.push(a); ends.push(pos); continue;
      }
      space = false;
      Array.from(piece.normalize("NFKC")).forEach(function (ch) {
        ch = FOLD[ch] || ch;
        for (var k = 0; k < ch.length; k++) { out.push(ch[k]); starts.push(a); ends.push(pos); }
      });
    }
    return { text: out.join(""), starts: starts, ends: ends };
  }
  function norm(text) { return normMap(text).text; }

  // -- the passages a page shows: a source page, or each excerpt of an assignment ----------
  function ni(hex) {  // the room's IRI of a seed with no site_url (reading_room.iri): RFC 6920
    var bin = (hex.match(/../g) || []).map(function (h) { return String.fromCharCode(parseInt(h, 16)); }).join("");
    return "ni:///sha-256;" + btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function iriOf(e) {
    return e.getAttribute("data-rr-iri") || (e.getAttribute("data-sha256") ? ni(e.getAttribute("data-sha256")) : "");
  }
  var scopes = [];
  $$(".rr-excerpt").forEach(function (ex) {
    var src = ex.getAttribute("data-source"), known = CAT.sources.filter(function (s) { return s.slug === src; })[0];
    scopes.push({ root: ex, iri: iriOf(ex) || (known && known.iri) || "", prefix: ex.id + "-" });
  });
  var foot = doc.querySelector(".rr-print-foot[data-sha256]"), article = doc.querySelector(".md-content__inner");
  if (foot && article) scopes.push({ root: article, iri: iriOf(foot), prefix: "" });
  scopes = scopes.filter(function (s) { return s.iri; });
  function blocksOf(scope) {
    return $$("[data-lines][id]", scope.root).filter(function (b) { return scope.prefix || !b.closest(".rr-excerpt"); });
  }
  function textOf(block) {
    if (block._rrText) return block._rrText;
    var nodes = [], text = "", w = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var n = w.nextNode(); n; n = w.nextNode()) {
      if (n.parentElement.closest(SKIP) && block.contains(n.parentElement.closest(SKIP))) continue;
      nodes.push({ node: n, start: text.length });
      text += n.data;
    }
    return (block._rrText = { block: block, text: text, nodes: nodes });
  }
  function forget(scope) { blocksOf(scope).forEach(function (b) { b._rrText = null; }); scope.text = null; }
  function scopeText(scope) {  // the blocks joined by a blank line, as anchor.SourceText
    if (scope.text) return scope.text;
    var parts = [], offsets = [], pos = 0;
    blocksOf(scope).forEach(function (b) { var t = textOf(b); offsets.push({ t: t, at: pos }); parts.push(t.text); pos += t.text.length + 2; });
    return (scope.text = { text: parts.join("\n\n"), blocks: offsets });
  }
  function blockAt(st, pos) {
    for (var i = st.blocks.length - 1; i >= 0; i--) if (st.blocks[i].at <= pos) return st.blocks[i];
    return null;
  }
  function findAll(hay, needle) {
    var out = [], i = needle ? hay.indexOf(needle) : -1;
    while (i !== -1) { out.push(i); i = hay.indexOf(needle, i + 1); }
    return out;
  }
  /* One pure match, as match_quote: exact occurrences, else normalised ones; those within one
     block whose prefix/suffix agree; exactly one of them, or a reason. */
  function match(scope, sel) {
    var st = scopeText(scope), spans = findAll(st.text, sel.exact).map(function (s) { return [s, s + sel.exact.length]; });
    if (!spans.length) {
      var n = st.norm || (st.norm = normMap(st.text)), q = norm(sel.exact).trim();
      spans = q ? findAll(n.text, q).map(function (s) { return [n.starts[s], n.ends[s + q.length - 1]]; }) : [];
    }
    spans = spans.filter(function (s) { return blockAt(st, s[0]) === blockAt(st, Math.max(s[0], s[1] - 1)); });
    if (!spans.length) return { fail: "absent" };
    var agree = spans.filter(function (s) {
      var p = str(sel.prefix), x = str(sel.suffix);
      if (p.trim() && !norm(st.text.slice(Math.max(0, s[0] - 3 * p.length - 20), s[0])).trimEnd().endsWith(norm(p).trim())) return false;
      return !(x.trim() && !norm(st.text.slice(s[1], s[1] + 3 * x.length + 20)).trimStart().startsWith(norm(x).trim()));
    });
    if (agree.length !== 1) return { fail: agree.length ? "ambiguous" : "context" };
    var b = blockAt(st, agree[0][0]);  // the text is unchanged by highlights, its nodes are not: read them afresh
    return { t: textOf(b.t.block), start: agree[0][0] - b.at, end: agree[0][1] - b.at };
  }

  // -- highlights and notes in the margin ---------------------------------------------------
  function wrap(t, start, end, id, kind) {
    var marks = [];
    t.nodes.forEach(function (entry) {
      var n = entry.node, a = Math.max(start, entry.start), z = Math.min(end, entry.start + n.data.length);
      if (a >= z) return;
      if (z < entry.start + n.data.length) n.splitText(z - entry.start);
      if (a > entry.start) n = n.splitText(a - entry.start);
      var m = el("mark", "rr-hl rr-hl--" + kind);
      m.setAttribute("data-annotation", id);
      m.setAttribute("data-kind", kind);
      n.parentNode.insertBefore(m, n);
      m.appendChild(n);
      marks.push(m);
    });
    t.block._rrText = null;
    if (marks.length) marks[0].id = id;
    return marks;
  }
  function unwrap(id) {
    $$('[data-annotation="' + id + '"]').forEach(function (m) {
      var p = m.parentNode;
      while (m.firstChild) p.insertBefore(m.firstChild, m);
      m.remove();
      p.normalize();
    });
    $$('.rr-ref[data-mine="' + id + '"], .rr-note[data-note="' + id + '"]').forEach(function (e) {
      var aside = e.parentNode;
      e.remove();
      if (aside && aside.classList.contains("rr-notes") && aside.hasAttribute("data-rr-mine") && !aside.children.length) {
        var block = aside.parentNode;
        aside.remove();
        if (block.hasAttribute("data-rr-mine")) { var inner = block.firstElementChild; block.replaceWith.apply(block, inner.classList.contains("rr-li__text") ? Array.from(inner.childNodes) : [inner]); }
      }
    });
  }
  /* The aside of the block that holds the passage, made as the build makes it when the block
     has none (render.py: a paragraph and its notes in a .rr-block; a list item's text in
     .rr-li__text); a heading's notes sit beside the next block, as the room's do. */
  function asideFor(block) {
    var host = block;
    while (/^H\d$/.test(host.tagName) && host.nextElementSibling) host = host.nextElementSibling;
    if (host.classList.contains("rr-block")) host = host.querySelector("[data-lines]") || host;
    var li = host.tagName === "LI", wrapEl = li ? host.querySelector(":scope > .rr-block") : host.parentNode;
    if (wrapEl && wrapEl.classList.contains("rr-block")) {
      var a = wrapEl.querySelector(":scope > .rr-notes");
      if (a) return a;
    } else {
      wrapEl = el("div", "rr-block");
      wrapEl.setAttribute("data-rr-mine", "");
      if (li) {
        var text = el("div", "rr-li__text");
        while (host.firstChild) text.appendChild(host.firstChild);
        wrapEl.appendChild(text);
        host.appendChild(wrapEl);
      } else { host.parentNode.insertBefore(wrapEl, host); wrapEl.appendChild(host); }
    }
    var aside = el("aside", "rr-notes");
    aside.setAttribute("data-rr-mine", "");
    aside.setAttribute("aria-label", "Margin notes written here");
    wrapEl.appendChild(aside);
    return aside;
  }
  function place(scope, n, kind, author, where) {
    var found = match(scope, n);
    if (found.fail) return found.fail;
    var id = scope.prefix + (kind === "mine" ? "mine-" : "reader-") + n.key, marks = wrap(found.t, found.start, found.end, id, kind);
    if (!marks.length) return "absent";
    var sup = el("sup", "rr-ref rr-mine-ui"), a = el("a", "rr-marker rr-marker--" + kind);
    sup.setAttribute("data-mine", id);
    a.href = "#note-" + id;
    a.setAttribute("data-ref", id);
    a.setAttribute("data-kind", kind);
    a.setAttribute("aria-label", kind === "mine" ? "Your note" : "Note by " + author);
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      if (narrow.matches && note.classList.contains("is-open")) { note.classList.remove("is-open"); a.setAttribute("aria-expanded", "false"); }
      else { show(note); a.setAttribute("aria-expanded", "true"); }
    });
    a.setAttribute("aria-expanded", "false");
    a.setAttribute("aria-controls", "note-" + id);
    sup.appendChild(a);
    var last = marks[marks.length - 1];
    last.parentNode.insertBefore(sup, last.nextSibling);
    var note = el("div", "rr-note rr-note--" + kind);
    note.id = "note-" + id;
    note.setAttribute("data-note", id);
    note.setAttribute("data-kind", kind);
    note.setAttribute("role", "note");
    note.tabIndex = -1;
    note.setAttribute("aria-label", kind === "mine" ? "Your note" : "Note by " + author);
    if (author) note.setAttribute("data-author", author);
    var head = el("p", "rr-note__head"), go = el("a", "rr-note__num rr-note__go");
    go.href = "#" + id;
    go.title = "Go to the passage";
    go.setAttribute("aria-label", "Go to the passage");
    head.appendChild(go);
    head.appendChild(el("span", "rr-badge rr-badge--" + kind, kind === "mine" ? "Your note" : author));
    note.appendChild(head);
    note.appendChild(el("p", "rr-note__body", n.text));
    if (where) where(note);
    var aside = asideFor(found.t.block), after = null;
    $$(".rr-note", aside).some(function (o) {
      var m = doc.getElementById(o.getAttribute("data-note"));
      if (m && (m.compareDocumentPosition(marks[0]) & Node.DOCUMENT_POSITION_PRECEDING)) { after = o; return true; }
      return false;
    });
    aside.insertBefore(note, after);
    ["mouseenter", "focusin"].forEach(function (e) { note.addEventListener(e, function () { linked(id, true); }); });
    ["mouseleave", "focusout"].forEach(function (e) { note.addEventListener(e, function () { linked(id, false); }); });
    return note;
  }
  function linked(id, on) {
    $$('[data-annotation="' + id + '"], [data-note="' + id + '"]').forEach(function (e) { e.classList.toggle("is-linked", on); });
  }
  function show(note) {  // one note open at a time on a wide screen, as room.js has it
    if (!narrow.matches) $$(".rr-notes .rr-note.is-open").forEach(function (n) { n.classList.remove("is-open"); });
    note.classList.add("is-open");
    note.scrollIntoView({ block: "nearest" });
    note.focus({ preventScroll: true });
    layout();
  }
  function layout() { doc.dispatchEvent(new Event("rr:layout")); }  // room.js lays the margin out again

  // -- drawing everything (again, after every change) --------------------------------------
  var unplacedBox = null;
  function draw() {
    $$(".rr-note[data-kind=mine], .rr-note[data-kind=reader]").forEach(function (n) { unwrap(n.getAttribute("data-note")); });
    scopes.forEach(forget);
    var unplaced = [];
    mine.notes.forEach(function (n) {
      n.key = n.id.slice(0, 8);
      scopes.forEach(function (s) {
        if (s.iri !== n.source) return;
        var why = place(s, n, "mine", "", editable(n));
        if (s.prefix) return;  // only the source page, which shows all of the text, can tell
        n.unplaced = typeof why === "string" ? why : "";
        if (n.unplaced) unplaced.push(n);
      });
    });
    if (scopes.some(function (s) { return !s.prefix; })) saveMine();  // what My notes shows as unplaced
    imports.forEach(function (f, fi) {
      f.notes.forEach(function (n, i) {
        n.key = fi + "-" + i;
        scopes.filter(function (s) { return s.iri === n.source; }).forEach(function (s) { place(s, n, "reader", f.author); });
      });
    });
    showUnplaced(unplaced);
    if (page) readerAnswers();
    counts();
    layout();
  }
  function showUnplaced(list) {
    if (unplacedBox) { unplacedBox.remove(); unplacedBox = null; }
    if (!list.length || !article) return;
    unplacedBox = el("section", "rr-mine-unplaced rr-mine-ui");
    unplacedBox.setAttribute("aria-label", "Your notes whose passage is not found");
    unplacedBox.appendChild(el("h2", "", "Your notes whose passage is no longer in this text"));
    unplacedBox.appendChild(el("p", "", "The text of this page has changed since you wrote these notes, so they are not shown beside it. " +
      "Nothing is lost: each is kept with the passage you quoted."));
    var ul = el("ul");
    list.forEach(function (n) {
      var li = el("li");
      li.appendChild(el("q", "", n.exact));
      li.appendChild(doc.createTextNode(" " + (n.unplaced === "ambiguous" ? "(now found in more than one place)" : "(not found)") + ": "));
      li.appendChild(el("span", "", n.text));
      li.appendChild(doc.createTextNode(" "));
      li.appendChild(button("Delete", "", function () { remove(n); }));
      ul.appendChild(li);
    });
    unplacedBox.appendChild(ul);
    (panel || article).before(unplacedBox);
  }

  // -- writing, editing, deleting -----------------------------------------------------------
  function editable(n) {
    return function (note) {
      var bar = el("p", "rr-mine-actions rr-mine-ui");
      bar.appendChild(button("Edit", "", function () { edit(note, n); }));
      bar.appendChild(button("Delete", "", function () { remove(n); }));
      note.appendChild(bar);
    };
  }
  function form(quote, text, onsave, oncancel) {
    var f = el("form", "rr-mine-form rr-mine-ui");
    f.setAttribute("aria-label", "Your note");
    if (quote) f.appendChild(el("blockquote", "rr-mine-form__quote", quote));
    var label = el("label", "", "Your note"), box = el("textarea");
    box.value = text || "";
    box.rows = 3;
    box.maxLength = MAX_TEXT;
    label.appendChild(box);
    f.appendChild(label);
    var save = el("button", "rr-mine-btn rr-mine-btn--main", "Save");
    save.type = "submit";
    f.appendChild(save);
    f.appendChild(button("Cancel", "", function () { oncancel(); }));
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!box.value.trim()) { say("Write something first, or press Cancel."); box.focus(); return; }
      onsave(box.value.trim());
    });
    f.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { ev.preventDefault(); oncancel(); } });
    return { form: f, box: box };
  }
  function edit(note, n) {
    var body = note.querySelector(".rr-note__body"), bar = note.querySelector(".rr-mine-actions");
    body.hidden = bar.hidden = true;
    var f = form("", n.text, function (text) {
      n.text = text; n.modified = now(); saveMine(); draw(); focusNote(n); say("Note saved");
    }, function () { f.form.remove(); body.hidden = bar.hidden = false; note.focus(); layout(); });
    note.appendChild(f.form);
    f.box.focus();
    layout();
  }
  function remove(n) {
    if (!window.confirm("Delete your note on “" + n.exact.slice(0, 80) + "”? This cannot be undone.")) return;
    mine.notes = mine.notes.filter(function (x) { return x !== n; });
    saveMine();
    draw();
    say("Note deleted");
    firstMine();
  }
  function focusNote(n) {
    var note = doc.querySelector('.rr-note[data-note$="mine-' + n.id.slice(0, 8) + '"]');
    if (note) show(note);
  }
  function add(sel, scope) {
    var n = { id: uid(), source: scope.iri, exact: sel.exact, prefix: sel.prefix, suffix: sel.suffix, text: "",
      created: now() };
    closeForm();
    var f = form(sel.exact, "", function (text) {
      n.text = text; n.modified = n.created;
      mine.notes.push(n);
      closeForm();
      if (!saveMine()) return;
      draw();
      focusNote(n);
      say("Note saved");
      firstMine();
    }, function () { closeForm(); if (addBtn.anchor) addBtn.anchor.focus(); });
    openForm = f.form;
    var aside = asideFor(sel.block);
    aside.insertBefore(f.form, aside.firstChild);
    f.box.focus({ preventScroll: false });
    layout();
  }
  var openForm = null;
  function closeForm() { if (openForm) { openForm.remove(); openForm = null; layout(); } }

  /* A selection inside one of the page's passages offers "Add a note" beside it (after a
     long-press on a phone the same selectionchange arrives). */
  var addBtn = button("Add a note", "rr-mine-add rr-mine-ui", function () {
    var s = addBtn.sel;
    hideAdd();
    if (s) add(s, s.scope);
  });
  addBtn.hidden = true;
  addBtn.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  // keep the selection
  function hideAdd() { addBtn.hidden = true; addBtn.sel = null; }
  function selection() {
    var s = window.getSelection();
    if (!s || s.isCollapsed || !s.rangeCount) return null;
    var r = s.getRangeAt(0), start = r.startContainer.nodeType === 1 ? r.startContainer : r.startContainer.parentElement;
    if (!start || start.closest(SKIP + ",form,textarea")) return null;
    var scope = scopes.filter(function (sc) { return sc.root.contains(start) && (sc.prefix || !start.closest(".rr-excerpt")); })[0];
    var block = start.closest("[data-lines][id]");
    if (!scope || !block || !scope.root.contains(block)) return null;
    var t = textOf(block), a = offset(t, r.startContainer, r.startOffset);
    var z = block.contains(r.endContainer) ? offset(t, r.endContainer, r.endOffset) : t.text.length;
    while (a < z && /\s/.test(t.text[a])) a++;
    while (z > a && /\s/.test(t.text[z - 1])) z--;
    if (a >= z) return null;
    return { scope: scope, block: block, exact: t.text.slice(a, z), prefix: t.text.slice(Math.max(0, a - CONTEXT), a),
      suffix: t.text.slice(z, z + CONTEXT), rect: r.getBoundingClientRect() };
  }
  function offset(t, container, off) {
    for (var i = 0; i < t.nodes.length; i++) if (t.nodes[i].node === container) return t.nodes[i].start + off;
    var probe = doc.createRange(), pos = 0;
    probe.setStart(container, off);
    t.nodes.forEach(function (e) { if (probe.comparePoint(e.node, 0) < 0) pos = e.start + e.node.data.length; });
    return pos;
  }
  var pending;
  function onSelect() {
    clearTimeout(pending);
    pending = setTimeout(function () {
      var s = selection();
      if (!s) { if (doc.activeElement !== addBtn) hideAdd(); return; }
      addBtn.sel = s;
      addBtn.hidden = false;
      // below the selection: a phone's own menu sits above it
      addBtn.style.top = Math.round(s.rect.bottom + window.scrollY + 6) + "px";
      addBtn.style.left = Math.round(Math.max(8, Math.min(s.rect.left + window.scrollX, doc.documentElement.clientWidth - 140))) + "px";
    }, 200);
  }

  // -- answers to an assignment's questions -------------------------------------------------
  var here = location.href.split(/[?#]/)[0], page = CAT.pages.filter(function (p) { return !p.mynotes && rel(p.url) === here; })[0];
  function questions() {
    if (!page || !article) return [];
    return $$("ol > li", article).filter(function (li) { return !li.closest(".rr-excerpt, .rr-notes, .rr-mine-ui, nav, .md-search"); });
  }
  function questionText(li) {
    var c = li.cloneNode(true);
    $$(".rr-mine-ui", c).forEach(function (x) { x.remove(); });
    return c.textContent.replace(/\s+/g, " ").trim();
  }
  function readerAnswers() {  // each imported student's answer under its question
    $$(".rr-answer--reader").forEach(function (r) { r.remove(); });
    questions().forEach(function (li) {
      var nq = norm(questionText(li));
      imports.forEach(function (f) {
        f.answers.filter(function (x) { return x.page === page.iri && norm(x.question) === nq; }).forEach(function (x) {
          var r = el("div", "rr-answer rr-answer--reader rr-mine-ui");
          r.setAttribute("data-author", f.author);
          r.appendChild(el("strong", "", f.author + " answered: "));
          r.appendChild(el("span", "", x.text));
          li.appendChild(r);
        });
      });
    });
  }
  function answers() {
    var used = [];
    questions().forEach(function (li, i) {
      var q = questionText(li), nq = norm(q);
      var a = mine.answers.filter(function (x) { return x.page === page.iri && norm(x.question) === nq; })[0];
      if (a) used.push(a);
      if (!li.id) li.id = "question-" + (i + 1);
      var box = el("div", "rr-answer rr-mine-ui"), label = el("label", "", "Your answer to question " + (i + 1));
      var ta = el("textarea"), status = el("span", "rr-answer__status"), paper = el("div", "rr-answer__print", a ? a.text : "");
      ta.rows = 3;
      ta.maxLength = MAX_TEXT;
      ta.value = a ? a.text : "";
      status.setAttribute("aria-live", "polite");
      label.appendChild(ta);
      box.appendChild(label);
      box.appendChild(status);
      box.appendChild(paper);
      var timer;
      function keep() {
        clearTimeout(timer);
        if (!a) { a = { id: uid(), page: page.iri, url: page.url, n: i + 1, question: q, text: "", created: now() }; mine.answers.push(a); }
        a.text = ta.value; a.modified = now(); a.n = i + 1;
        paper.textContent = ta.value;
        if (!ta.value.trim()) mine.answers = mine.answers.filter(function (x) { return x !== a; }), a = null;
        status.textContent = saveMine() ? "Saved in this browser" : "Not saved";
      }
      ta.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(keep, 400); });
      ta.addEventListener("change", keep);
      li.appendChild(box);
    });
    readerAnswers();
    var lost = mine.answers.filter(function (x) { return page && x.page === page.iri && used.indexOf(x) < 0; });
    if (lost.length) {
      var s = el("section", "rr-mine-unplaced rr-mine-ui");
      s.appendChild(el("h2", "", "Your answers to questions no longer on this page"));
      lost.forEach(function (x) { var p = el("p"); p.appendChild(el("q", "", x.question)); p.appendChild(doc.createTextNode(" " + x.text)); s.appendChild(p); });
      article.appendChild(s);
    }
  }

  // -- export ------------------------------------------------------------------------------
  function person() { return mine.name ? { type: "Person", name: mine.name } : undefined; }
  function annotationOf(n) {
    return { "@context": "http://www.w3.org/ns/anno.jsonld", id: "urn:uuid:" + n.id, type: "Annotation", motivation: "commenting",
      creator: person(), created: n.created, modified: n.modified || n.created,
      body: [{ type: "TextualBody", purpose: "commenting", value: n.text, format: "text/plain" }],
      target: { type: "SpecificResource", source: n.source,
        selector: { type: "TextQuoteSelector", exact: n.exact, prefix: n.prefix || "", suffix: n.suffix || "" } } };
  }
  function answerOf(a) {
    return { "@context": "http://www.w3.org/ns/anno.jsonld", id: "urn:uuid:" + a.id, type: "Annotation", motivation: "replying",
      creator: person(), created: a.created, modified: a.modified || a.created,
      body: [{ type: "TextualBody", purpose: "replying", value: a.text, format: "text/plain" }],
      target: { type: "SpecificResource", source: a.page,
        selector: [{ type: "FragmentSelector", conformsTo: "http://tools.ietf.org/rfc/rfc3986", value: "question-" + a.n },
          { type: "TextQuoteSelector", exact: a.question, prefix: "", suffix: "" }] } };
  }
  function exportCollection() {  // the shape agreed with helper "export" (scratch/16-student-export.md)
    var id = "urn:uuid:" + uid(), pageId = "urn:uuid:" + uid();
    var items = mine.notes.map(annotationOf).concat(mine.answers.map(answerOf));
    var label = mine.name ? "Notes by " + mine.name : "My notes";
    return { "@context": "http://www.w3.org/ns/anno.jsonld", id: id, type: "AnnotationCollection",
      label: label, creator: person(), created: now(),
      generator: { id: ROOM, type: "Software", name: CAT.title || "The Reading Room" }, total: items.length,
      first: { type: "AnnotationPage", id: pageId, partOf: { id: id, label: label, total: items.length }, startIndex: 0, items: items },
      last: pageId };
  }
  function download() {
    var data = JSON.stringify(exportCollection(), null, 1);
    var a = el("a"), url = URL.createObjectURL(new Blob([data], { type: "application/ld+json" }));
    a.href = url;
    a.download = "notes" + (mine.name ? "-" + mine.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") : "") + ".jsonld";
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say("Exported " + mine.notes.length + " notes and " + mine.answers.length + " answers");
  }

  // -- import: a file from a pupil is data, checked and bounded ------------------------------
  var known = {};
  CAT.sources.concat(CAT.pages).forEach(function (s) { known[s.iri] = s; });
  scopes.forEach(function (s) { known[s.iri] = known[s.iri] || { iri: s.iri }; });
  if (page) known[page.iri] = page;
  function quoteOf(t) {
    var sels = Array.isArray(t.selector) ? t.selector : [t.selector];
    return sels.filter(function (s) { return s && s.type === "TextQuoteSelector" && typeof s.exact === "string" && s.exact; })[0];
  }
  function readFile(name, text) {
    var data;
    try { data = JSON.parse(text); } catch (e) {
      var m = /position (\d+)/.exec(e.message), line = /line (\d+)/.exec(e.message), lead = /^\s*/.exec(text)[0].length;
      var at = line ? +line[1] : m ? text.slice(0, +m[1]).split("\n").length :
        "{[".indexOf(text.charAt(lead)) < 0 && lead < text.length ? text.slice(0, lead).split("\n").length : 0;
      throw new Error((at ? "line " + at + " of " : "") + name + " is not JSON" + (/end of JSON/.test(e.message) ? " (it is cut short)" : "") +
        ": export the notes again and import the new file");
    }
    var items = null;
    if (data && data.type === "AnnotationCollection") items = data.first && data.first.items;
    else if (data && data.type === "AnnotationPage") items = data.items;
    else if (data && data.type === "Annotation") items = [data];
    if (!Array.isArray(items)) throw new Error(name + " is JSON but not a notes file: it should hold a W3C AnnotationCollection, as “Export my notes” makes");
    if (items.length > MAX_ITEMS) throw new Error(name + " holds " + items.length + " annotations; the room reads at most " + MAX_ITEMS + " from one file");
    var creator = data.creator && str(data.creator.name, 100).trim();
    var out = { file: str(name, 200), id: str(data.id, 200), author: "", named: false, notes: [], answers: [], skipped: 0, other: 0 };
    items.forEach(function (a) {
      var t = a && a.type === "Annotation" && (Array.isArray(a.target) ? a.target[0] : a.target);
      var body = a && (Array.isArray(a.body) ? a.body : [a.body]).filter(function (b) { return b && b.type === "TextualBody" && typeof b.value === "string"; })[0];
      var q = t && typeof t === "object" && quoteOf(t);
      if (!q || !body || typeof t.source !== "string") { out.skipped++; return; }
      if (!known[t.source]) { out.other++; return; }
      creator = creator || (a.creator && str(a.creator.name, 100).trim());
      var rec = { source: t.source, exact: str(q.exact), prefix: str(q.prefix, 200), suffix: str(q.suffix, 200), text: str(body.value) };
      if (CAT.pages.some(function (p) { return p.iri === t.source; })) out.answers.push({ page: t.source, question: rec.exact, text: rec.text });
      else out.notes.push(rec);
    });
    out.author = creator || name.replace(/\.[^.]*$/, "");
    out.named = !!creator;
    if (!out.notes.length && !out.answers.length) {
      var gen = data.generator && typeof data.generator.id === "string" && data.generator.id !== ROOM;
      throw new Error(out.other ? "this file holds no annotations for this room: the " + out.other + " notes in " + name +
        " are about documents this room does not have" + (gen ? " (it was exported from another room)" : "")
        : name + " holds no notes the room can read" + (out.skipped ? ": none of its " + out.skipped + " entries is an annotation of a passage" : ""));
    }
    return out;
  }
  function importFiles(files) {
    var messages = [];
    var jobs = Array.prototype.map.call(files, function (file) {
      if (file.size > MAX_BYTES) {
        messages.push(file.name + " is " + (file.size / 1048576).toFixed(1) + " MB; a notes file can be at most 5 MB, so it was not read");
        return Promise.resolve();
      }
      return file.text().then(function (text) {
        try {
          // the same export again, or a newer one by the same named student, takes the old one's place;
          // two unnamed students' "notes.jsonld" are both kept
          var f = readFile(file.name, text);
          function same(x) { return (f.id && x.id === f.id) || (f.named && x.named && x.author === f.author && x.file === f.file); }
          var before = imports.filter(same).length;
          imports = imports.filter(function (x) { return !same(x); }).concat([f]);
          messages.push((before ? "Replaced " : "Imported ") + f.file + ": " + f.notes.length + " notes and " + f.answers.length +
            " answers by " + f.author + (f.skipped ? "; " + f.skipped + " entries were not notes and were left out" : "") +
            (f.other ? "; " + f.other + " are about documents not in this room" : ""));
        } catch (e) { messages.push(e.message); }
      }, function () { messages.push(file.name + " could not be read"); });
    });
    return Promise.all(jobs).then(function () {
      if (!write(IMPORTS, imports)) messages.push("This browser's storage is full: the imported notes are shown until you leave the page");
      report(messages);
      draw();
      listImports();
    });
  }
  function removeImport(f) {
    if (!window.confirm("Remove the notes imported from " + f.file + "?")) return;
    imports = imports.filter(function (x) { return x !== f; });
    write(IMPORTS, imports);
    draw();
    listImports();
    report(["Removed " + f.file]);
  }

  // -- the panel at the foot of every page ---------------------------------------------------
  var panel, msgBox, importList;
  function report(lines) {
    msgBox.textContent = "";
    lines.forEach(function (l) { msgBox.appendChild(el("p", "", l)); });
    say(lines.join(". "));
  }
  function buildPanel() {
    if (!article) return;
    panel = el("section", "rr-mine-panel rr-mine-ui");
    panel.id = "rr-mine";
    panel.setAttribute("aria-labelledby", "rr-mine-title");
    var h = el("h2", "", "Your notes");
    h.id = "rr-mine-title";
    panel.appendChild(h);
    panel.appendChild(el("p", "", "Select a passage and press “Add a note”. Your notes and answers stay in this browser; nothing leaves it until you export them."));
    if (scopes.length) panel.appendChild(typed());
    var row = el("p", "rr-mine-row"), name = el("input"), nameLabel = el("label", "", "Your name, for the export ");
    name.type = "text";
    name.maxLength = 100;
    name.value = mine.name;
    name.autocomplete = "name";
    name.addEventListener("change", function () { mine.name = name.value.trim(); saveMine(); say("Name saved"); });
    nameLabel.appendChild(name);
    row.appendChild(nameLabel);
    row.appendChild(button("Export my notes", "rr-mine-btn--main", download));
    var list = CAT.pages.filter(function (p) { return p.mynotes; })[0];
    if (list) { var a = el("a", "", "My notes: everything you wrote"); a.href = rel(list.url); row.appendChild(a); }
    panel.appendChild(row);
    var print = el("label", "rr-mine-row"), box = el("input");
    box.type = "checkbox";
    box.checked = read("rr-print-mine") !== false;
    root.classList.toggle("rr-noprint-mine", !box.checked);
    box.addEventListener("change", function () { write("rr-print-mine", box.checked); root.classList.toggle("rr-noprint-mine", !box.checked); });
    print.appendChild(box);
    print.appendChild(doc.createTextNode(" Print my notes and answers with the page"));
    panel.appendChild(print);
    var imp = el("p", "rr-mine-row"), file = el("input"), fileLabel = el("label", "", "Import notes ");
    file.type = "file";
    file.multiple = true;
    file.accept = ".jsonld,.json,application/ld+json,application/json";
    file.addEventListener("change", function () { if (file.files.length) importFiles(file.files).then(function () { file.value = ""; }); });
    fileLabel.appendChild(file);
    imp.appendChild(fileLabel);
    imp.appendChild(el("span", "rr-mine-hint", " (teachers: students' exported .jsonld files; they stay in this browser)"));
    panel.appendChild(imp);
    msgBox = el("div", "rr-mine-messages");
    msgBox.setAttribute("role", "status");
    panel.appendChild(msgBox);
    importList = el("div", "rr-mine-imports");
    panel.appendChild(importList);
    var feet = article.querySelector(".rr-print-foot");
    article.insertBefore(panel, feet || null);
    // a long page has hundreds of links before its foot: one at the top leads there
    var jump = el("a", "rr-mine-jump rr-mine-ui", scopes.length ? "Your notes: write, export, import ↓" : "Import notes ↓");
    jump.href = "#rr-mine";
    var at = doc.querySelector(".rr-legend__title") || article.querySelector("h1");
    if (at) at.appendChild(jump);
    jump.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      ev.preventDefault();
      panel.querySelector("button, input").focus();  // focus scrolls it into view
    });
    listImports();
  }
  function rel(url) { return new URL(url, SITE).href; }  // a site path, from this page
  /* Without a mouse: type (or paste) a few words of the passage; they are found by the same
     rules as a stored quote, and must single out one place. */
  function typed() {
    var wrapEl = el("div", "rr-mine-typed"), open = button("Write a note on a passage", "", function () {
      open.hidden = true;
      var f = el("form", "rr-mine-form"), ql = el("label", "", "Passage: a few words copied from the page"), q = el("input");
      q.type = "text";
      ql.appendChild(q);
      f.appendChild(ql);
      var g = form("", "", function (text) {
        var words = q.value.trim(), hit = null, why = "absent";
        scopes.some(function (sc) {
          var m = match(sc, { exact: words });
          if (m.fail) { if (m.fail !== "absent") why = m.fail; return false; }
          hit = { scope: sc, m: m };
          return true;
        });
        if (!words || !hit) {
          say(words ? (why === "absent" ? "These words are not in the text of this page: copy them exactly." :
            "These words occur more than once on this page: add a few more.") : "Type a few words of the passage first.");
          q.focus();
          return;
        }
        var t = hit.m.t, a = hit.m.start, z = hit.m.end;
        var n = { id: uid(), source: hit.scope.iri, exact: t.text.slice(a, z), prefix: t.text.slice(Math.max(0, a - CONTEXT), a),
          suffix: t.text.slice(z, z + CONTEXT), text: text, created: now(), modified: now() };
        mine.notes.push(n);
        if (!saveMine()) return;
        f.remove(); open.hidden = false;
        draw(); focusNote(n); say("Note saved"); firstMine();
      }, function () { f.remove(); open.hidden = false; open.focus(); });
      while (g.form.firstChild) f.appendChild(g.form.firstChild);
      f.addEventListener("submit", function (ev) { ev.preventDefault(); g.form.dispatchEvent(new Event("submit", { cancelable: true })); });
      f.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { f.remove(); open.hidden = false; open.focus(); } });
      wrapEl.appendChild(f);
      q.focus();
    });
    wrapEl.appendChild(open);
    return wrapEl;
  }
  function listImports() {
    if (!importList) return;
    importList.textContent = "";
    if (!imports.length) return;
    importList.appendChild(el("h3", "", "Imported notes"));
    var ul = el("ul");
    imports.forEach(function (f) {
      var li = el("li");
      li.appendChild(el("strong", "", f.author));
      li.appendChild(doc.createTextNode(" — " + f.notes.length + " notes, " + f.answers.length + " answers (" + f.file + ") "));
      li.appendChild(button("Remove", "", function () { removeImport(f); }));
      li.lastChild.setAttribute("aria-label", "Remove the notes imported from " + f.file + " (" + f.author + ")");
      ul.appendChild(li);
    });
    importList.appendChild(ul);
  }

  // -- legend, toggles, link presets ----------------------------------------------------------
  function hiddenList() { var h = read(HIDDEN); return Array.isArray(h) ? h : []; }
  var preset = null, first = false;
  (function presets() {
    var q = new URLSearchParams(location.search), box = doc.querySelector("[data-rr-show], [data-rr-first]");
    var show = q.get("show") || (box && box.getAttribute("data-rr-show")) || "";
    first = (q.get("first") || (box && box.getAttribute("data-rr-first")) || "") === "mine";
    if (show) preset = show.split(",").map(function (s) { return s.trim().toLowerCase(); }).filter(Boolean);
  })();
  function presetLine() {
    if (!preset || !article) return;
    var p = el("p", "rr-mine-preset rr-mine-ui"), names = preset.slice(), last = names.pop();
    p.appendChild(doc.createTextNode("This link shows only " + (names.length ? names.join(", ") + " and " : "") + last +
      " notes, for this visit; your own settings are unchanged. "));
    p.appendChild(button("Show all kinds", "", function () {  // the reader's own settings, as without the link
      location.replace(location.href.replace(/([?&])show=[^&#]*&?/, "$1").replace(/[?&](?=#|$)/, ""));
    }));
    var lg = doc.querySelector(".rr-legend") || article.querySelector("h1");
    if (lg) lg.parentNode.insertBefore(p, lg.nextSibling);
  }
  var toggles = {};
  function applyKinds() {
    var hidden = hiddenList();
    ["framing", "uncited", "rebuttal", "slip", "suggested", "mine", "reader"].forEach(function (k) {
      var off = preset ? preset.indexOf(k) < 0 : hidden.indexOf(k) >= 0;
      // without a preset the room's own kinds are room.js's (its defaults too: suggestions off where
      // an editor has written notes); only the students' two kinds are this script's
      if (!(preset || k === "mine" || k === "reader")) return;
      root.classList.toggle("rr-hide-" + k, off);
      if (k === "suggested") root.classList.toggle("rr-show-suggested", !off);
      $$('.rr-toggle[data-kind="' + k + '"]').forEach(function (b) { b.setAttribute("aria-pressed", String(!off)); });
    });
  }
  function counts() {
    ["mine", "reader"].forEach(function (k) {
      var n = $$('.rr-note[data-kind="' + k + '"]').length;
      $$('.rr-toggle[data-kind="' + k + '"]').forEach(function (b) { b.textContent = (k === "mine" ? "Mine" : "Imported") + " (" + n + ")"; b.hidden = !n && k === "reader"; });
    });
    applyKinds();
  }
  function legend() {
    $$(".rr-legend").forEach(function (lg) {
      var kinds = lg.querySelector(".rr-legend__kinds");
      if (kinds) {
        [["mine", "Mine", "Your own notes, kept in this browser only."], ["reader", "Imported", "Notes imported from a student's file, with the student's name."]].forEach(function (k) {
          var li = el("li", "rr-mine-ui");
          li.setAttribute("data-kind", k[0]);
          li.appendChild(el("span", "rr-swatch rr-hl rr-hl--" + k[0], k[1]));
          li.appendChild(doc.createTextNode(" " + k[2]));
          kinds.appendChild(li);
        });
      }
      var box = lg.querySelector(".rr-toggles");
      if (!box) return;
      box.hidden = false;
      ["mine", "reader"].forEach(function (k) {
        var b = button("", "rr-toggle rr-toggle--" + k + " rr-mine-ui", function () {
          var list = hiddenList(), i = list.indexOf(k), on = preset ? preset.indexOf(k) < 0 : i >= 0;
          if (preset) { if (on) preset.push(k); else preset.splice(preset.indexOf(k), 1); }
          else { if (on) list.splice(i, 1); else list.push(k); write(HIDDEN, list); }
          applyKinds();
          layout();
        });
        b.setAttribute("data-kind", k);
        box.appendChild(b);
      });
    });
  }
  var firstLine = null;
  function firstMine() {
    if (!first || !scopes.length) return;
    var wrote = mine.notes.some(function (n) { return scopes.some(function (s) { return s.iri === n.source && !n.unplaced; }); });
    root.classList.toggle("rr-first-mine", !wrote);
    if (!firstLine) {
      firstLine = el("p", "rr-mine-first rr-mine-ui");
      firstLine.setAttribute("role", "status");
      var lg = doc.querySelector(".rr-legend") || doc.querySelector(".rr-excerpt") || (article && article.querySelector("h1"));
      if (lg) lg.parentNode.insertBefore(firstLine, lg.nextSibling);
    }
    firstLine.textContent = wrote ? "You have written a note here, so the room's notes are shown now."
      : "The room's notes are held back on this page until you have written a note of your own: select a passage and press “Add a note”.";
    layout();
  }

  // -- the messages line -------------------------------------------------------------------
  var toast;
  function say(text) {
    if (!toast) { toast = el("p", "rr-sr rr-mine-ui"); toast.setAttribute("role", "status"); doc.body.appendChild(toast); }
    toast.textContent = text;
  }

  // -- the My notes page ------------------------------------------------------------------
  function myNotes(box) {
    box.textContent = "";
    function group(title, notes, answers, author) {
      var sec = el("section", "rr-mynotes__group");
      if (title) sec.appendChild(el("h2", "", title));
      var by = {};
      notes.forEach(function (n) { (by[n.source] = by[n.source] || []).push(n); });
      if (!notes.length && !answers.length) sec.appendChild(el("p", "", author ? "No notes in this file." : "You have not written any notes yet: select a passage on a source page and press “Add a note”."));
      Object.keys(by).forEach(function (iri) {
        var s = known[iri] || {}, h = el("h3");
        if (s.url) { var a = el("a", "", s.title || s.url); a.href = rel(s.url); h.appendChild(a); } else h.textContent = iri;
        sec.appendChild(h);
        var ul = el("ul", "rr-mynotes__list");
        by[iri].forEach(function (n) {
          var li = el("li"), q = el("a", "rr-mynotes__quote", "“" + n.exact + "”");  // a <q> in a link takes its clicks (the theme)
          if (s.url) q.href = rel(s.url) + "#" + (author ? "reader-" + n.key : "mine-" + n.id.slice(0, 8));
          li.appendChild(q);
          if (n.unplaced) li.appendChild(el("em", "rr-mynotes__unplaced", " unplaced: the passage is no longer found in the text"));
          li.appendChild(el("p", "", n.text));
          ul.appendChild(li);
        });
        sec.appendChild(ul);
      });
      if (answers.length) {
        sec.appendChild(el("h3", "", "Answers"));
        var ul = el("ul", "rr-mynotes__list");
        answers.forEach(function (x) {
          var li = el("li"), p = known[x.page] || {}, a = el("a", "", (p.title || "An assignment"));
          if (p.url) a.href = rel(p.url);
          li.appendChild(a);
          li.appendChild(doc.createTextNode(": "));
          li.appendChild(el("q", "", x.question));
          li.appendChild(el("p", "", x.text));
          ul.appendChild(li);
        });
        sec.appendChild(ul);
      }
      box.appendChild(sec);
    }
    mine.notes.forEach(function (n) { n.key = n.id.slice(0, 8); });
    group("", mine.notes, mine.answers, "");
    imports.forEach(function (f, fi) {
      f.notes.forEach(function (n, i) { n.key = fi + "-" + i; });
      group("Imported from " + f.author + " (" + f.file + ")", f.notes, f.answers, f.author);
    });
  }

  function setup() {
    buildPanel();
    legend();
    presetLine();
    var list = doc.querySelector("[data-rr-mynotes]");
    if (list) {
      myNotes(list);
      var redraw = importList && listImports;
      listImports = function () { redraw && redraw(); myNotes(list); };
    }
    if (scopes.length) {
      doc.body.appendChild(addBtn);
      doc.addEventListener("selectionchange", onSelect);
      draw();
    } else counts();
    answers();
    firstMine();
    var target = location.hash.slice(1);
    var hit = target && doc.getElementById("note-" + target);
    if (hit) show(hit);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", setup); else setup();
})();
