/* The reading room's margin: JavaScript only adds what CSS cannot.
   Without it every note is still on the page, after its paragraph. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("rr-js");
  var KINDS = ["framing", "uncited", "rebuttal", "slip", "suggested"];
  var KEY = "rr-hidden-kinds";
  var wide = window.matchMedia("(min-width: 76.25em)");

  function $$(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function hidden() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function hiddenKinds() {
    var h = hidden();
    if (h) return h;
    // machine suggestions are off by default where curated notes exist
    return $$(".rr-note:not([data-status=suggested])").length ? ["suggested"] : [];
  }
  function applyHidden(list) {
    KINDS.forEach(function (k) { root.classList.toggle("rr-hide-" + k, list.indexOf(k) >= 0); });
    root.classList.toggle("rr-show-suggested", list.indexOf("suggested") < 0);
  }

  /* Desktop: each note level with its passage, pushed down so none overlap (across blocks too:
     with JavaScript a block's notes may run past its text instead of stretching it).  Where the
     margin is crowded, a note that would push the next one away from its passage shows only its
     head line ("is-compact") until it is opened, so every note stays near its passage.  Heights
     are measured once and positions computed, so a page of 100 notes costs two layouts. */
  var SLACK = 24, GAP = 6;
  function place() {
    var article = document.querySelector(".md-content__inner");
    if (article) article.style.paddingBottom = "";
    var items = [];
    $$(".rr-notes").forEach(function (aside) {
      $$(".rr-note", aside).forEach(function (n) {
        n.style.marginTop = "";
        n.classList.remove("is-compact");
        if (wide.matches && n.offsetParent) items.push({ n: n, aside: aside });
      });
    });
    if (!items.length) return;
    items.forEach(function (it) {
      var mark = document.getElementById(it.n.getAttribute("data-note"));
      it.top = it.aside.getBoundingClientRect().top;
      it.want = mark && mark.offsetParent ? mark.getBoundingClientRect().top : null;
      it.full = it.n.getBoundingClientRect().height;
      it.n.classList.add("is-compact");
    });
    items.forEach(function (it) { it.small = it.n.getBoundingClientRect().height; });
    var floor = -Infinity, cursor = 0, aside = null;
    items.forEach(function (it, i) {
      if (it.aside !== aside) { aside = it.aside; cursor = it.top; }
      var want = it.want === null ? cursor : it.want, top = Math.max(want, cursor, floor);
      var next = items[i + 1], nextWant = next && next.want !== null ? next.want : Infinity;
      var full = it.n.classList.contains("is-open") ||
        (top - want <= SLACK && top + it.full + GAP <= nextWant + SLACK);
      it.compact = !full;
      it.margin = top - cursor;
      cursor = top + (full ? it.full : it.small);
      floor = cursor + GAP;
    });
    items.forEach(function (it) {
      it.n.classList.toggle("is-compact", it.compact);
      it.n.style.marginTop = it.margin + "px";
    });
    // the last notes may run past the text: make room for them above the footer
    var over = article ? floor - article.getBoundingClientRect().bottom : 0;
    if (over > 0) article.style.paddingBottom = parseFloat(getComputedStyle(article).paddingBottom) + over + "px";
  }

  /* A compact note opens (and the margin makes room for it) when its marker is used, when it is
     clicked, or when the keyboard reaches it; one note is open at a time. */
  function openNote(note) {
    if (!wide.matches || note.classList.contains("is-open")) return;
    $$(".rr-notes .rr-note.is-open").forEach(function (n) { n.classList.remove("is-open"); });
    note.classList.add("is-open");
    place();
  }


  /* Space presses a link that acts as a button, as it would a button. */
  function buttonLike(el) {
    el.setAttribute("role", "button");
    el.addEventListener("keydown", function (ev) {
      if (ev.key === " " || ev.key === "Spacebar") { ev.preventDefault(); el.click(); }
    });
  }

  var toast;
  function say(text) {
    toast.textContent = text;
    toast.classList.add("is-shown");
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { toast.classList.remove("is-shown"); toast.textContent = ""; }, 2500);
  }

  /* Deep links: a ¶ copies the address of its paragraph or note, with the passage's Text
     Fragment (made at build time), so that the passage is highlighted wherever it is opened. */
  function copyLink(a) {
    var f = a.getAttribute("data-text-fragment");
    var url = location.href.split("#")[0] + a.getAttribute("href") + (f ? ":~:" + f : "");
    function showBox() {  // no clipboard (file://, old browsers): the address, selected
      var box = a.nextElementSibling;
      if (!box || !box.classList.contains("rr-copybox")) {
        box = document.createElement("input");
        box.className = "rr-copybox";
        box.readOnly = true;
        box.setAttribute("aria-label", "Link to this passage");
        box.addEventListener("blur", function () { box.remove(); });
        box.addEventListener("keydown", function (ev) { if (ev.key === "Escape" || ev.key === "Enter") a.focus(); });
        a.after(box);
      }
      box.value = url;
      box.focus();
      box.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { /* not allowed: the reader copies it */ }
      say(copied ? "Link copied" : "Press Ctrl+C to copy the link");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { say("Link copied"); }, showBox);
    } else showBox();
  }

  /* An address that names a note or a highlight (#id, perhaps with :~:text=…, which Chromium
     hides from location.hash and others may not) opens that note on a narrow screen. */
  function showTarget() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)).split(":~:")[0]; } catch (e) { return; }
    var el = id && document.getElementById(id);
    var note = el && (el.getAttribute("data-note") || el.getAttribute("data-annotation"));
    if (!note || !document.getElementById("note-" + note)) return;
    if (wide.matches) openNote(document.getElementById("note-" + note));
    else {
      document.getElementById("note-" + note).classList.add("is-open");
      $$('.rr-marker[data-ref="' + note + '"]').forEach(function (m) { m.setAttribute("aria-expanded", "true"); });
    }
    linked(note, true);
  }

  /* Paper: the page's own address and absolute paragraph links, and both in every page margin. */
  function forPrint() {
    var here = location.href.split("#")[0];
    $$(".rr-page-url").forEach(function (s) { s.textContent = here; });
    $$("[data-paragraph]").forEach(function (a) {
      a.setAttribute("data-paragraph", new URL(a.getAttribute("data-paragraph"), here).href);
    });
    // every seed the page shows: a source page's footer, or each excerpt that names its seed
    var shas = [];
    $$("[data-sha256]").forEach(function (el) {
      var seed = (el.getAttribute("data-source") ? el.getAttribute("data-source") + " " : "") + el.getAttribute("data-sha256");
      if (shas.indexOf(seed) < 0) shas.push(seed);
    });
    function str(s) { return '"' + s.replace(/[\\"]/g, "\\$&").replace(/\s+/g, " ") + '"'; }
    var style = document.createElement("style");
    style.media = "print";
    style.textContent = "@page{@bottom-left{content:" + str(here) + "}" +
      (shas.length ? "@bottom-right{content:" + str("Seed text SHA-256: " + shas.join("; ")) + "}" : "") + "}";
    document.head.appendChild(style);
  }

  function linked(id, on) {
    $$('[data-annotation="' + id + '"], [data-note="' + id + '"], [data-ref="' + id + '"]').forEach(function (el) {
      el.classList.toggle("is-linked", on);
    });
  }

  function setup() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search) search.setAttribute("aria-label", "Search");  // the theme leaves its dialog unnamed
    var hiddenList = hiddenKinds();
    applyHidden(hiddenList);
    $$(".rr-marker").forEach(function (m) {
      var id = m.getAttribute("data-ref"), note = document.getElementById("note-" + id);
      buttonLike(m);
      m.setAttribute("aria-controls", "note-" + id);
      m.setAttribute("aria-expanded", "false");
      m.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (!note) return;
        if (wide.matches) { openNote(note); note.focus({ preventScroll: false }); linked(id, true); return; }
        var open = !note.classList.contains("is-open");
        note.classList.toggle("is-open", open);
        m.setAttribute("aria-expanded", String(open));
        if (open) note.focus({ preventScroll: true });
      });
    });
    toast = document.createElement("p");
    toast.className = "rr-toast";
    toast.setAttribute("role", "status");
    document.body.appendChild(toast);
    $$(".rr-permalink").forEach(function (a) {
      buttonLike(a);
      a.title = a.title.replace("Permanent link to", "Copy the link to");
      a.setAttribute("aria-label", a.title);
      a.addEventListener("click", function (ev) {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) return;  // opened as a link
        ev.preventDefault();
        copyLink(a);
      });
    });
    $$(".rr-notes .rr-note").forEach(function (n) {
      n.addEventListener("click", function () { if (n.classList.contains("is-compact")) openNote(n); });
      n.addEventListener("focusin", function () { if (n.classList.contains("is-compact")) openNote(n); });
    });
    forPrint();
    showTarget();
    window.addEventListener("hashchange", showTarget);
    $$("[data-annotation], .rr-note, .rr-marker").forEach(function (el) {
      var id = el.getAttribute("data-annotation") || el.getAttribute("data-note") || el.getAttribute("data-ref");
      ["mouseenter", "focusin"].forEach(function (e) { el.addEventListener(e, function () { linked(id, true); }); });
      ["mouseleave", "focusout"].forEach(function (e) { el.addEventListener(e, function () { linked(id, false); }); });
    });
    var box = document.querySelector(".rr-toggles"), status = document.querySelector("[data-rr-status]");
    if (box) {
      box.hidden = false;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Show or hide notes by kind");
      KINDS.forEach(function (k) {
        var count = $$('.rr-note[data-kind="' + k + '"]:not([data-status=suggested])').length;
        if (k === "suggested") count = $$(".rr-note[data-status=suggested]").length;
        if (!count) return;
        var b = document.createElement("button");
        b.type = "button";
        b.className = "rr-toggle rr-toggle--" + k;
        b.setAttribute("data-kind", k);
        b.textContent = k.charAt(0).toUpperCase() + k.slice(1) + " (" + count + ")";
        b.setAttribute("aria-pressed", String(hiddenList.indexOf(k) < 0));
        b.addEventListener("click", function () {
          var list = hiddenKinds(), i = list.indexOf(k), show = i >= 0;
          if (show) list.splice(i, 1); else list.push(k);
          try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* private mode: this page only */ }
          applyHidden(list);
          b.setAttribute("aria-pressed", String(show));
          if (status) status.textContent = k + " notes " + (show ? "shown" : "hidden");
          place();
        });
        box.appendChild(b);
      });
    }
    var queued = false;
    function later() { if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; place(); }); } }
    place();
    window.addEventListener("resize", later);
    if (window.ResizeObserver) new ResizeObserver(later).observe(document.querySelector(".md-content") || document.body);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
