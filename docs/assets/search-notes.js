/* "Search notes": filters the list of notes that the page already shows (so it works from
   file:// with no fetch, and without JavaScript the whole list stays). Loaded by that page only. */
(function () {
  "use strict";
  var form = document.querySelector("[data-rr-filter]");
  var count = document.querySelector("[data-rr-count]");
  if (!form || !count) return;
  var lists = Array.prototype.slice.call(document.querySelectorAll("[data-rr-results]"));
  var items = [];
  lists.forEach(function (list) {
    Array.prototype.forEach.call(list.children, function (li) {
      // the technique's key as well as its label, so "appeal_to_authority" finds it too
      items.push({ el: li, text: fold(li.textContent + " " + (li.getAttribute("data-technique") || "")) });
    });
  });
  var suggestedBox = document.querySelector("[data-rr-suggested]");
  var suggestedHeading = document.getElementById("suggested");
  var timer = 0;

  function fold(s) {
    return s.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/[_\u2010-\u2015]/g, "-");
  }
  function value(name) { return form.elements[name].value; }

  function apply(ev) {
    var words = fold(value("q")).split(/\s+/).filter(Boolean).map(function (w) { return w.replace(/_/g, "-"); });
    var kind = value("kind"), source = value("source"), technique = value("technique");
    var shown = 0;
    items.forEach(function (item) {
      var el = item.el, suggested = el.getAttribute("data-status") === "suggested";
      var ok = kind === "suggested" ? suggested : !suggested && (!kind || el.getAttribute("data-kind") === kind);
      ok = ok && (!source || el.getAttribute("data-source") === source);
      ok = ok && (!technique || el.getAttribute("data-technique") === technique);
      for (var i = 0; ok && i < words.length; i++) ok = item.text.indexOf(words[i]) >= 0;
      el.hidden = !ok;
      if (ok) shown++;
    });
    var onlySuggested = kind === "suggested";
    if (suggestedBox) suggestedBox.hidden = !onlySuggested;
    if (suggestedHeading) suggestedHeading.hidden = !onlySuggested;
    lists.forEach(function (l) { if (l !== suggestedBox) l.hidden = onlySuggested; });
    var what = onlySuggested ? "machine suggestion" : "note";
    count.textContent = shown === 1 ? "1 " + what + " matches." : shown + " " + what + "s match.";
    if (!ev) return;  // the first run keeps the address it was opened with
    var state = ["q", "kind", "source", "technique"].filter(value).map(function (k) {
      return k + "=" + encodeURIComponent(value(k));
    }).join("&");
    try { history.replaceState(null, "", state ? "#" + state : location.pathname + location.search); } catch (e) { /* not allowed here */ }
  }

  // a link such as search-notes.html#kind=framing&q=whataboutism opens with the filter set
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("="), field = form.elements[kv[0]];
    if (field && kv.length === 2) field.value = decodeURIComponent(kv[1].replace(/\+/g, " "));
  });
  form.hidden = false;
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("change", apply);
  form.addEventListener("input", function (ev) { clearTimeout(timer); timer = setTimeout(function () { apply(ev); }, 120); });
  apply();
})();
