/* "All sources" and the collection pages: filter the table of sources the page already shows,
   and sort it by a column (so it works from file:// with no fetch; without JavaScript the whole
   table stays, in the room's order). Loaded by those pages only. */
(function () {
  "use strict";
  var table = document.querySelector("[data-rr-library]");
  var form = document.querySelector("[data-rr-library-filter]");
  var count = document.querySelector("[data-rr-library-count]");
  if (!table || !form || !count) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = rows.map(function (tr) {
    return fold(tr.getAttribute("data-title") + " " + tr.getAttribute("data-author"));
  });
  var order = rows.slice();  // the room's order, to go back to
  var sortKey = "", sortDir = 0, timer = 0;

  function fold(s) {
    return s.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  }
  function value(name) { var f = form.elements[name]; return f ? f.value : ""; }

  function apply(ev) {
    var words = fold(value("q")).split(/\s+/).filter(Boolean);
    var wanted = ["genre", "stance", "collection"].filter(value);
    var shown = 0;
    rows.forEach(function (tr, i) {
      var ok = true;
      for (var k = 0; ok && k < wanted.length; k++) ok = tr.getAttribute("data-" + wanted[k]) === value(wanted[k]);
      for (var w = 0; ok && w < words.length; w++) ok = text[i].indexOf(words[w]) >= 0;
      tr.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = (shown === rows.length ? "" : shown.toLocaleString("en") + " of ")
      + rows.length.toLocaleString("en") + (rows.length === 1 ? " source." : " sources.");
    if (!ev) return;
    var state = ["q", "genre", "stance", "collection"].filter(value).map(function (k) {
      return k + "=" + encodeURIComponent(value(k));
    }).concat(sortKey ? ["sort=" + (sortDir < 0 ? "-" : "") + sortKey] : []).join("&");
    try { history.replaceState(null, "", state ? "#" + state : location.pathname + location.search); } catch (e) { /* not allowed here */ }
  }

  function compare(key) {
    var numeric = key === "notes";
    return function (a, b) {
      var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
      if (numeric) return (Number(x) - Number(y)) * sortDir;
      var none = (x === "" || x === "not stated") - (y === "" || y === "not stated");
      if (none) return none;  // what is not stated goes last, whichever way
      return x.localeCompare(y, "en", { sensitivity: "base", numeric: true }) * sortDir;
    };
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function sortBy(key, dir) {
    sortKey = key; sortDir = dir;
    var sorted = key ? rows.slice().sort(compare(key)) : order;
    var frag = document.createDocumentFragment();
    sorted.forEach(function (tr) { frag.appendChild(tr); });
    body.appendChild(frag);
    headers.forEach(function (th) {
      var mine = th.getAttribute("data-rr-sort") === key;
      if (mine) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  headers.forEach(function (th) {
    var key = th.getAttribute("data-rr-sort");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rr-library__sort";
    button.textContent = th.textContent;
    button.setAttribute("aria-label", "Sort by " + th.textContent);
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(key, sortKey === key ? -sortDir : (key === "notes" ? -1 : 1));
      apply(true);
    });
  });

  // a link such as index.html#genre=news%20article&sort=-date opens filtered and sorted
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("=");
    if (kv.length !== 2) return;
    var v = decodeURIComponent(kv[1].replace(/\+/g, " "));
    if (kv[0] === "sort") {
      var key = v.replace(/^-/, "");
      if (headers.some(function (th) { return th.getAttribute("data-rr-sort") === key; })) sortBy(key, v.charAt(0) === "-" ? -1 : 1);
    } else if (form.elements[kv[0]]) form.elements[kv[0]].value = v;
  });
  form.hidden = false;
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("change", apply);
  form.addEventListener("input", function (ev) { clearTimeout(timer); timer = setTimeout(function () { apply(ev); }, 120); });
  apply();
})();
