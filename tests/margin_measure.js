/* How much of the margin a reader gets without a click: the figures of issue 14, measured in the
   page itself.  Used by tests/test_margin_reading.py and bench/bench.py (page.evaluate of this file,
   an async function of no arguments).  It knows nothing of how room.js lays the margin out: it looks
   only at what is rendered.

   shown    share of all note text (non-space characters) readable with no click or hover: rendered,
            not clipped, not transparent, inside the window's width, at least 10 px, and not under
            another note
   far      notes whose top is more than 400 px from the top of their passage
   overlaps pairs of notes whose boxes intersect
   covered  notes whose box intersects a line of the text, a table, a pre or a boxed block
   growth   height of the article as laid out / its height with every note hidden and laid out again
   layoutMs median time of window.ReadingRoom.layout() and the reflow its writes cause, with every note
            to be placed again (null where the room has none); idleMs the same with nothing to move */
async () => {
  const root = document.documentElement;
  const article = document.querySelector(".md-content__inner");
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const relayout = async () => {
    if (window.ReadingRoom && window.ReadingRoom.layout) window.ReadingRoom.layout();
    else window.dispatchEvent(new Event("resize"));
    await frame();
  };
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const kindHidden = n => n.dataset.status === "suggested" ? root.classList.contains("rr-hide-suggested") ||
    !root.classList.contains("rr-show-suggested") : root.classList.contains("rr-hide-" + n.dataset.kind);

  await frame();
  const all = Array.from(document.querySelectorAll(".rr-notes > .rr-note")).filter(n => !kindHidden(n));
  const notes = all.map(n => ({ n, box: n.getBoundingClientRect(), shown: n.getClientRects().length > 0 }));
  const boxes = notes.filter(x => x.shown && x.box.height > 0);

  // the text: every line of every text node outside the margin, and the boxes of blocks
  const text = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: t => t.parentElement.closest(".rr-notes, .rr-sr, script, style") || !t.data.trim()
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  const range = document.createRange();
  const clipOf = new Map();  // an element's visible box: what its scrolling ancestors leave of it
  const clip = el => {
    if (el === article || !el) return null;
    if (clipOf.has(el)) return clipOf.get(el);
    let c = clip(el.parentElement);
    const s = getComputedStyle(el);
    if (s.overflowX !== "visible" || s.overflowY !== "visible") {
      const r = el.getBoundingClientRect();
      c = c ? { left: Math.max(c.left, r.left), right: Math.min(c.right, r.right), top: Math.max(c.top, r.top),
                bottom: Math.min(c.bottom, r.bottom) } : { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }
    clipOf.set(el, c);
    return c;
  };
  for (let t; (t = walker.nextNode());) {
    range.selectNodeContents(t);
    const c = clip(t.parentElement);
    for (const r of range.getClientRects()) {
      const v = c ? { left: Math.max(c.left, r.left), right: Math.min(c.right, r.right), top: Math.max(c.top, r.top),
                      bottom: Math.min(c.bottom, r.bottom) } : r;
      if (v.right - v.left > 0.5 && v.bottom - v.top > 0.5) text.push(v);
    }
  }
  article.querySelectorAll("table, pre, img, hr, blockquote, .admonition, .rr-legend, .rr-provenance, .rr-headnote, .rr-excerpt__caption")
    .forEach(el => {
      if (el.closest(".rr-notes")) return;
      const r = el.getBoundingClientRect(), c = clip(el.parentElement);
      const v = c ? { left: Math.max(c.left, r.left), right: Math.min(c.right, r.right), top: Math.max(c.top, r.top),
                      bottom: Math.min(c.bottom, r.bottom) } : r;
      if (v.right - v.left > 0.5 && v.bottom - v.top > 0.5) text.push(v);
    });

  let total = 0, readable = 0, far = 0, covered = 0, overlaps = 0;
  const perNote = [];
  for (const x of notes) {
    let own = 0, seen = 0;
    const w = document.createTreeWalker(x.n, NodeFilter.SHOW_TEXT);
    for (let t; (t = w.nextNode());) {
      const el = t.parentElement;
      const style = getComputedStyle(el);
      const visible = x.shown && el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
        parseFloat(style.fontSize) >= 10;
      const clips = [];
      for (let a = el; visible && a && a !== x.n.parentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== "visible" || s.overflowY !== "visible") clips.push(a.getBoundingClientRect());
      }
      const re = /\S+/g;
      for (let m; (m = re.exec(t.data));) {
        own += m[0].length;
        if (!visible) continue;
        range.setStart(t, m.index);
        range.setEnd(t, m.index + m[0].length);
        const r = range.getBoundingClientRect();
        const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
        const inside = c => cx >= c.left && cx <= c.right && cy >= c.top && cy <= c.bottom;
        if (!r.width || !r.height || r.left < 0 || r.right > innerWidth + 0.5) continue;
        if (clips.some(c => !inside(c))) continue;
        if (boxes.some(o => o !== x && inside(o.box))) continue;
        seen += m[0].length;
      }
    }
    total += own;
    readable += seen;
    const mark = document.getElementById(x.n.dataset.note);
    const at = mark && mark.getClientRects().length ? mark.getBoundingClientRect().top : null;
    const drift = x.shown && at !== null ? x.box.top - at : null;
    if (drift !== null && Math.abs(drift) > 400) far++;
    const covers = x.shown && text.some(r => hit(r, x.box));
    if (covers) covered++;
    perNote.push({ id: x.n.id, chars: own, seen, drift, covers });
  }
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (hit(boxes[i].box, boxes[j].box)) overlaps++;

  const height = article.getBoundingClientRect().height;
  const bare = document.createElement("style");
  bare.textContent = ".rr-notes { display: none !important; }";
  document.head.appendChild(bare);
  await relayout();
  const bareHeight = article.getBoundingClientRect().height;
  bare.remove();
  await relayout();

  let layoutMs = null, idleMs = null;
  if (window.ReadingRoom && window.ReadingRoom.layout) {
    const idle = [];
    for (let i = 0; i < 7; i++) {  // nothing to move: what reading and computing cost alone
      const t0 = performance.now();
      window.ReadingRoom.layout();
      void article.offsetHeight;
      idle.push(performance.now() - t0);
    }
    idleMs = idle.sort((a, b) => a - b)[3];
    const times = [];
    for (let i = 0; i < 7; i++) {
      // every note moved away first, so that the layout has every position to write again
      document.querySelectorAll(".rr-notes > .rr-note").forEach(n => { n.style.top = ""; });
      void article.offsetHeight;
      const t0 = performance.now();
      window.ReadingRoom.layout();
      void article.offsetHeight;  // the writes' own reflow counts too
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    layoutMs = times[3];
  }
  return { notes: notes.length, shown: total ? readable / total : 1, far, overlaps, covered,
           growth: height / bareHeight, layoutMs, idleMs, perNote };
}
