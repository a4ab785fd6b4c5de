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
     with JavaScript a block's notes may run past its text instead of stretching it). */
  function place() {
    var floor = -Infinity;
    $$(".rr-notes").forEach(function (aside) {
      var notes = $$(".rr-note", aside);
      notes.forEach(function (n) { n.style.marginTop = ""; });
      if (!wide.matches) return;
      var cursor = aside.getBoundingClientRect().top;
      notes.forEach(function (n) {
        if (!n.offsetParent) return;
        var mark = document.getElementById(n.getAttribute("data-note"));
        var want = mark && mark.offsetParent ? mark.getBoundingClientRect().top : cursor;
        var top = Math.max(want, cursor, floor);
        n.style.marginTop = (top - cursor) + "px";
        cursor = n.getBoundingClientRect().bottom;
        floor = cursor + 6;
      });
    });
  }

  function linked(id, on) {
    $$('[data-annotation="' + id + '"], [data-note="' + id + '"], [data-ref="' + id + '"]').forEach(function (el) {
      el.classList.toggle("is-linked", on);
    });
  }

  function setup() {
    var hiddenList = hiddenKinds();
    applyHidden(hiddenList);
    $$(".rr-marker").forEach(function (m) {
      var id = m.getAttribute("data-ref"), note = document.getElementById("note-" + id);
      m.setAttribute("role", "button");
      m.setAttribute("aria-controls", "note-" + id);
      m.setAttribute("aria-expanded", "false");
      m.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (!note) return;
        if (wide.matches) { note.focus({ preventScroll: false }); linked(id, true); return; }
        var open = !note.classList.contains("is-open");
        note.classList.toggle("is-open", open);
        m.setAttribute("aria-expanded", String(open));
        if (open) note.focus({ preventScroll: true });
      });
      m.addEventListener("keydown", function (ev) {
        if (ev.key === " " || ev.key === "Spacebar") { ev.preventDefault(); m.click(); }
      });
    });
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
