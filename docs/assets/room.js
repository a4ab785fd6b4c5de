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

  /* Desktop: notes in lanes beside the text (README, "The margin on a desktop").  All is read
     before anything is written, in whole pixels, so that a second layout changes nothing. */
  var GAP = 6, SLACK = 60, GROW = 1.9, FAR = 360, spaced = new Map();
  function layout() {
    var art = document.querySelector(".md-content__inner"), notes = $$(".rr-notes > .rr-note"), on = wide.matches;
    if (!art) return;
    var rem = parseFloat(getComputedStyle(root).fontSize), col = 30 * rem, a = art.getBoundingClientRect(),
      two = a.width - col >= 38 * rem, w = Math.min((a.width - col - (two ? 1.2 * rem : 0)) / (two ? 2 : 1), 26 * rem),
      items = [], bands = [], before = [], pin, line, sp, end, total = 0;
    notes.forEach(function (n) { n.rrIt = null; if (on) n.style.width = w + "px"; });
    a = art.getBoundingClientRect();
    spaced.forEach(function (s, b) { before.push([b.getBoundingClientRect().top, s]); total += s; });
    function y(el) {  // without last time's spacing
      var t = el.getBoundingClientRect().top, r = t - a.top;
      before.forEach(function (b) { if (b[0] < t) r -= b[1]; });
      return r;
    }
    if (on) notes.forEach(function (n) {
      if (!n.offsetParent) return;
      var m = document.getElementById(n.getAttribute("data-note")), blk = n.parentNode.closest(".rr-block"),
        body = n.querySelector(".rr-note__body"), it = n.rrIt = { n: n, g: n.parentNode, blk: blk, h: n.scrollHeight,
          at: blk ? y(blk) : 0, want: y(m && m.offsetParent ? m : n.parentNode.parentNode) };
      line = line || body && parseFloat(getComputedStyle(body).lineHeight);
      it.hs = body ? Math.min(it.h, body.offsetTop + line) : it.h;
      if (!pin && n.classList.contains("is-open")) pin = it;
      items.push(it);
    });
    if (on) (function walk(el) {  // no-go bands
      for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
        var r = c.getBoundingClientRect(), t;
        if (c.classList.contains("rr-notes") || r.right <= a.left + col + 1 || !r.height) continue;
        if (c.querySelector(".rr-notes")) walk(c); else bands.push([(t = y(c)) - GAP, t + r.height + GAP]);
      }
    })(art);
    var height = a.height - total - (parseFloat(art.style.paddingBottom) || 0);

    function pass(fixed, pinY) {
      var S = 0, S0, at, bot = [0, 0], i = 0, j, used = 0;
      function clear(t, h, k) {
        bands.forEach(function (b) {
          var d = b[0] < at ? S0 : S;
          if (t < b[1] + d && t + h > b[0] + d) t = b[1] + d;
        });
        return pinY != null && k === pin.k && t < pinY + pin.h + GAP && t + h > pinY - GAP ? clear(pinY + pin.h + GAP, h, k) : t;
      }
      function clusters(list, floor) {  // notes that would overlap, round their passages' mean
        var cs = [];
        list.forEach(function (it) {
          var c = { a: [it], h: it.ht + GAP, sum: it.want + S, n: 1 }, p;
          for (c.top = Math.max(floor, c.sum); (p = cs[cs.length - 1]) && p.top + p.h > c.top; c = p) {
            cs.pop();
            p.sum += c.sum - p.h * c.n; p.n += c.n; p.h += c.h; p.a = p.a.concat(c.a);
            p.top = Math.max(floor, p.sum / p.n);
          }
          cs.push(c);
        });
        return cs;
      }
      for (; i < items.length; i = j) {
        for (j = i; j < items.length && items[j].g === items[i].g; j++);
        var g = items.slice(i, j), est = bot.slice(), lane = [[], []], push = 0, s;
        g.forEach(function (it) {
          var t = it.want + S;
          it.ht = it.fold && it !== pin ? it.hs : it.h;
          if (it === pin && pinY != null) return;
          it.k = two && Math.max(t, est[1]) < Math.max(t, est[0]) ? 1 : 0;
          est[it.k] = Math.max(t, est[it.k]) + it.ht + GAP;
          lane[it.k].push(it);
        });
        S0 = S; at = g[0].at;
        lane.forEach(function (l, k) { if (l.length) push = Math.max(push, bot[k] - clusters(l, -1e9)[0].top); });
        s = fixed ? fixed.get(g[0].g) || 0 : g[0].blk ? Math.round(Math.max(0, Math.min(push - SLACK, (GROW - 1) * height - used))) : 0;
        if (s) { S += s; used += s; sp.set(g[0].g, s); }
        lane.forEach(function (l, k) {
          clusters(l, bot[k]).forEach(function (c) {
            var t = Math.max(bot[k], c.top);
            c.a.forEach(function (it) { it.top = clear(t, it.ht, k); t = bot[k] = it.top + it.ht + GAP; });
          });
        });
        g.forEach(function (it) { it.S = S; if (it === pin && pinY != null) it.top = pinY; });
      }
      end = Math.ceil(Math.max(bot[0], bot[1]) - GAP - height - S);
    }
    for (var fold = 1; fold;) {  // a note pushed far away folds the tallest above it
      sp = new Map();
      pass();
      fold = null;
      items.forEach(function (v) {
        if (v.top - v.want - v.S > FAR) items.forEach(function (c) {
          if (c !== v && c !== pin && !c.fold && c.k === v.k && c.top < v.top && c.top + c.h > v.want + v.S - FAR &&
              (!fold || c.h - c.hs > fold.h - fold.hs)) fold = c;
        });
      });
      if (fold) fold.fold = true;
    }
    if (pin) pass(sp, pin.n.rrHere && pin.n.rrTop != null ? pin.n.rrTop : pin.want + pin.S);

    var now = new Map();
    sp.forEach(function (s, g) { var b = g.closest(".rr-block"); now.set(b, (now.get(b) || 0) + s); });
    spaced.forEach(function (s, b) { if (!now.has(b)) b.style.paddingTop = ""; });
    now.forEach(function (s, b) { b.style.paddingTop = s + "px"; });
    spaced = now;
    art.style.paddingBottom = end > 0 ? end + "px" : "";
    notes.forEach(function (n) {
      var it = n.rrIt, f = it && it.fold && it !== pin;
      n.classList.toggle("is-compact", !!f);
      n.style.maxHeight = f ? it.hs + "px" : "";
      n.style.top = it ? Math.round(it.top) + "px" : "";
      n.style.left = it ? col + it.k * (w + 1.2 * rem) + "px" : "";
      if (!on) n.style.width = "";
      n.rrTop = it && it.top;
    });
  }

  // an open note: level with its passage, or where the pointer found it; the text stays
  var pointerAt = 0;
  function openNote(note, here) {
    if (!wide.matches) return;
    if (note.classList.contains("is-open") && !!note.rrHere === !!here) return;
    $$(".rr-notes .rr-note.is-open").forEach(function (n) { n.classList.remove("is-open"); });
    note.classList.add("is-open");
    note.rrHere = here;
    layout();
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
    // delegated, so that notes other scripts add later open too
    function noteOf(ev) { return ev.target.closest && ev.target.closest(".rr-notes > .rr-note"); }
    document.addEventListener("pointerdown", function () { pointerAt = Date.now(); }, true);
    document.addEventListener("focusin", function (ev) { var n = noteOf(ev); if (n) openNote(n, Date.now() - pointerAt < 800); });
    document.addEventListener("mouseover", function (ev) { var n = noteOf(ev); if (n && n.classList.contains("is-compact")) openNote(n, true); });
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
          layout();
        });
        box.appendChild(b);
      });
    }
    var queued = false;
    function later() { if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; layout(); }); } }
    layout();
    window.addEventListener("resize", later);
    document.addEventListener("rr:layout", later);
    if (document.fonts) document.fonts.addEventListener("loadingdone", later);
    if (window.ResizeObserver) new ResizeObserver(later).observe(document.querySelector(".md-content") || document.body);
  }
  window.ReadingRoom = window.ReadingRoom || {};
  window.ReadingRoom.layout = layout;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
