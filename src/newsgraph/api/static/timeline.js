// newsgraph: the timeline as a zoomable time axis, drawn in SVG from the JSON of /api/timeline.
//
// No library and no build step: the server sends this file as it is. One mark per event cluster,
// coloured by its PLOVER type (classes in style.css), events that took place on one lane and
// planned ones (announced, not reported as held) on a lane of their own. A click on a mark shows its
// evidence: every report's sentence, language and document, in every language reported. Facet
// chips (type, language, with counts) filter the marks. Every string from the store is set with
// textContent or setAttribute, never parsed as HTML. The server-rendered list under the chart stays
// the page's content without JavaScript.
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var PAGE = 100; // events per request; pages are followed up to MAX_EVENTS
  var MAX_EVENTS = 1000;
  var MARK_R = 6;
  var ROW = 2 * MARK_R + 4; // vertical step between marks stacked on one day
  var AXIS = 28; // pixels under the lanes for the tick labels
  var LABEL_W = 70; // the lane names on the left
  var MIN_SPAN = 2 * 86400000; // the deepest zoom shows two days
  var DAY = 86400000;

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(name, attrs, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // "2023-11-03", "2023-11", "2023" or a datetime -> the UTC time of its first day (NaN if none)
  function parseDay(value) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
    if (!m) return NaN;
    return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
  }

  function when(item) {
    if (item.date && item.date.value) return { value: item.date.value, precision: item.date.precision || "day", published: false };
    if (item.first_published) return { value: item.first_published.slice(0, 10), precision: "day", published: true };
    return null;
  }

  function cssType(type) {
    return "t-" + String(type || "OTHER").replace(/[^A-Za-z0-9_-]/g, "");
  }

  function names(ids, entities) {
    if (!ids || !ids.length) return "?";
    return ids.map(function (i) { return (entities[i] && entities[i].name) || i; }).join(", ");
  }

  // the reports of an entry: `evidence` (one per article) where the server sends it, else the
  // `reports` list; `reports` may instead be the number of articles
  function evidenceOf(item) {
    if (Array.isArray(item.evidence)) return item.evidence;
    return Array.isArray(item.reports) ? item.reports : [];
  }

  function reportCount(item) {
    return typeof item.reports === "number" ? item.reports : evidenceOf(item).length;
  }

  function languages(item) {
    if (Array.isArray(item.languages) && item.languages.length) return item.languages.slice();
    var seen = [];
    evidenceOf(item).forEach(function (r) {
      var lang = r.lang || "?";
      if (seen.indexOf(lang) < 0) seen.push(lang);
    });
    return seen;
  }

  // one request per page of PAGE events, following next_offset (or total) up to MAX_EVENTS; a
  // server with a lower page limit refuses PAGE (4xx), and is then asked for `fallback` at a time
  function load(src, fallback, done, fail) {
    var items = [], entities = {}, size = PAGE;
    function next(offset) {
      var url = new URL(src, window.location.href);
      url.searchParams.set("limit", String(size));
      url.searchParams.set("offset", String(offset));
      fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if ((response.status === 400 || response.status === 422) && size > fallback) return null;
          if (!response.ok) throw new Error("the server answered " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (data === null) { size = fallback; next(offset); return; }
          var page = data.items || [];
          items = items.concat(page);
          Object.assign(entities, data.entities || {});
          var following = data.next_offset;
          if ((following === undefined || following === null) && typeof data.total === "number" && offset + page.length < data.total) {
            following = offset + page.length;
          }
          if (following !== undefined && following !== null && page.length && items.length < MAX_EVENTS) next(following);
          else done({ items: items, entities: entities });
        })
        .catch(fail);
    }
    next(0);
  }

  function Chart(root, data) {
    this.root = root;
    this.entities = data.entities;
    this.items = data.items.map(function (item, index) {
      var w = when(item);
      return { item: item, index: index, when: w, time: w ? parseDay(w.value) : NaN, langs: languages(item) };
    });
    this.dated = this.items.filter(function (d) { return !isNaN(d.time); });
    this.hiddenTypes = {};
    this.hiddenLangs = {};
    this.selected = null;
    var times = this.dated.map(function (d) { return d.time; });
    var lo = times.length ? Math.min.apply(null, times) : Date.now() - 30 * DAY;
    var hi = times.length ? Math.max.apply(null, times) : Date.now();
    var pad = Math.max((hi - lo) * 0.05, 15 * DAY);
    this.full = [lo - pad, hi + pad];
    this.domain = this.full.slice();
    this.build();
  }

  Chart.prototype.build = function () {
    var self = this;
    this.root.textContent = "";
    var bar = el("div", { "class": "chart-bar" });
    [["−", "zoom out", 2], ["+", "zoom in", 0.5]].forEach(function (spec) {
      var b = el("button", { type: "button", "class": "zoom", title: spec[1], "aria-label": spec[1] }, spec[0]);
      b.addEventListener("click", function () { self.zoom(spec[2], 0.5); });
      bar.appendChild(b);
    });
    var reset = el("button", { type: "button", "class": "zoom reset-zoom", title: "show every event" }, "all");
    reset.addEventListener("click", function () { self.domain = self.full.slice(); self.draw(); });
    bar.appendChild(reset);
    bar.appendChild(el("span", { "class": "meta hint" }, "scroll or drag on the axis (or + − ← →) to zoom and move; click a mark for its evidence"));
    this.root.appendChild(bar);
    this.facets = el("div", { "class": "facets" });
    this.root.appendChild(this.facets);
    this.svg = svg("svg", {
      "class": "chart-svg", role: "group", tabindex: "0",
      "aria-label": "events on a time axis: + and - zoom, the arrow keys move, Tab reaches each event",
    });
    this.root.appendChild(this.svg);
    this.note = el("p", { "class": "meta chart-note" });
    this.root.appendChild(this.note);
    this.evidence = el("section", { "class": "evidence", "aria-live": "polite" });
    this.evidence.appendChild(el("p", { "class": "meta" }, "Click a mark to read what each report says."));
    this.root.appendChild(this.evidence);
    this.drawFacets();
    this.listen();
    this.draw();
  };

  Chart.prototype.drawFacets = function () {
    var self = this;
    this.facets.textContent = "";
    var byType = {}, byLang = {};
    this.items.forEach(function (d) {
      byType[d.item.type] = (byType[d.item.type] || 0) + 1;
      d.langs.forEach(function (l) { byLang[l] = (byLang[l] || 0) + 1; });
    });
    function group(title, counts, hidden, css) {
      var box = el("div", { "class": "facet" });
      box.appendChild(el("span", { "class": "facet-title" }, title));
      Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); }).forEach(function (key) {
        var chip = el("button", { type: "button", "class": "chip " + css(key), "aria-pressed": hidden[key] ? "false" : "true", "data-facet": key });
        chip.appendChild(el("span", { "class": "swatch " + css(key) }));
        chip.appendChild(document.createTextNode(key + " "));
        chip.appendChild(el("span", { "class": "count" }, counts[key]));
        chip.addEventListener("click", function () {
          hidden[key] = !hidden[key];
          chip.setAttribute("aria-pressed", hidden[key] ? "false" : "true");
          self.draw();
        });
        box.appendChild(chip);
      });
      self.facets.appendChild(box);
    }
    group("type", byType, this.hiddenTypes, cssType);
    group("language", byLang, this.hiddenLangs, function () { return "lang"; });
  };

  Chart.prototype.visible = function (d) {
    var self = this;
    if (this.hiddenTypes[d.item.type]) return false;
    return d.langs.some(function (l) { return !self.hiddenLangs[l]; });
  };

  Chart.prototype.x = function (time) {
    var span = this.domain[1] - this.domain[0];
    return LABEL_W + ((time - this.domain[0]) / span) * (this.width - LABEL_W - 10);
  };

  Chart.prototype.timeAt = function (px) {
    var span = this.domain[1] - this.domain[0];
    return this.domain[0] + ((px - LABEL_W) / (this.width - LABEL_W - 10)) * span;
  };

  // zoom by `factor` (0.5 = twice as close) around the point at `share` of the axis width
  Chart.prototype.zoom = function (factor, share) {
    var span = this.domain[1] - this.domain[0];
    var next = Math.min(Math.max(span * factor, MIN_SPAN), (this.full[1] - this.full[0]) * 4);
    var pivot = this.domain[0] + share * span;
    this.domain = [pivot - share * next, pivot + (1 - share) * next];
    this.draw();
  };

  Chart.prototype.listen = function () {
    var self = this, drag = null;
    this.svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = self.svg.getBoundingClientRect();
      var share = Math.min(Math.max((event.clientX - box.left - LABEL_W) / (self.width - LABEL_W - 10), 0), 1);
      self.zoom(event.deltaY < 0 ? 0.8 : 1.25, share);
    }, { passive: false });
    this.svg.addEventListener("pointerdown", function (event) {
      if (event.target.classList && event.target.classList.contains("mark")) return;
      drag = { x: event.clientX, domain: self.domain.slice() };
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var span = drag.domain[1] - drag.domain[0];
      var shift = ((event.clientX - drag.x) / (self.width - LABEL_W - 10)) * span;
      self.domain = [drag.domain[0] - shift, drag.domain[1] - shift];
      self.draw();
    });
    window.addEventListener("pointerup", function () { drag = null; });
    // from the keyboard: + and - zoom around the middle, the arrow keys move by a tenth
    this.svg.addEventListener("keydown", function (event) {
      var span = self.domain[1] - self.domain[0];
      if (event.key === "+" || event.key === "=") self.zoom(0.5, 0.5);
      else if (event.key === "-") self.zoom(2, 0.5);
      else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        var shift = (event.key === "ArrowLeft" ? -0.1 : 0.1) * span;
        self.domain = [self.domain[0] + shift, self.domain[1] + shift];
        self.draw();
      } else return;
      event.preventDefault();
    });
  };

  Chart.prototype.ticks = function () {
    var span = this.domain[1] - this.domain[0];
    var room = Math.max(1, Math.floor((this.width - LABEL_W) / 90)); // labels that fit
    var start = new Date(this.domain[0]), out = [];
    var steps = [[1, "day"], [2, "day"], [7, "day"], [14, "day"], [1, "month"], [3, "month"], [6, "month"], [1, "year"], [2, "year"], [5, "year"], [10, "year"]];
    var approx = { day: DAY, month: 30.44 * DAY, year: 365.25 * DAY };
    var step = steps.find(function (s) { return span / (s[0] * approx[s[1]]) <= room; }) || steps[steps.length - 1];
    var t;
    if (step[1] === "day") t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    else if (step[1] === "month") t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - (start.getUTCMonth() % step[0]), 1);
    else t = Date.UTC(start.getUTCFullYear() - (start.getUTCFullYear() % step[0]), 0, 1);
    while (t <= this.domain[1] && out.length < 200) {
      var d = new Date(t);
      if (t >= this.domain[0]) {
        var iso = d.toISOString();
        out.push({ time: t, label: step[1] === "day" ? iso.slice(0, 10) : step[1] === "month" ? iso.slice(0, 7) : iso.slice(0, 4) });
      }
      if (step[1] === "day") t += step[0] * DAY;
      else if (step[1] === "month") t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step[0], 1);
      else t = Date.UTC(d.getUTCFullYear() + step[0], 0, 1);
    }
    return out;
  };

  // stack marks closer than a mark's width into rows, per lane
  Chart.prototype.layout = function (shown) {
    var self = this, rows = { held: [], planned: [] }, placed = [];
    shown.slice().sort(function (a, b) { return a.time - b.time || a.index - b.index; }).forEach(function (d) {
      var lane = d.item.planned ? "planned" : "held";
      var x = self.x(d.time), row = 0;
      while (rows[lane][row] !== undefined && x - rows[lane][row] < 2 * MARK_R + 2) row++;
      rows[lane][row] = x;
      placed.push({ d: d, lane: lane, x: x, row: row });
    });
    return { placed: placed, rows: { held: Math.max(rows.held.length, 1), planned: Math.max(rows.planned.length, 1) } };
  };

  Chart.prototype.draw = function () {
    var self = this;
    this.width = Math.max(this.root.clientWidth || 600, 320);
    var shown = this.dated.filter(function (d) { return self.visible(d); });
    var inView = shown.filter(function (d) { return d.time >= self.domain[0] && d.time <= self.domain[1]; });
    var layout = this.layout(inView);
    var heldH = layout.rows.held * ROW + 16, plannedH = layout.rows.planned * ROW + 16;
    var height = heldH + plannedH + AXIS;
    var s = this.svg;
    s.textContent = "";
    s.setAttribute("width", String(this.width));
    s.setAttribute("height", String(height));
    s.setAttribute("viewBox", "0 0 " + this.width + " " + height);
    var lanes = { held: { top: 0, h: heldH, label: "took place" }, planned: { top: heldH, h: plannedH, label: "planned" } };
    Object.keys(lanes).forEach(function (name) {
      var lane = lanes[name];
      var g = svg("g", { "class": "lane lane-" + name, "data-lane": name });
      g.appendChild(svg("rect", { "class": "lane-bg", x: LABEL_W, y: lane.top, width: self.width - LABEL_W, height: lane.h }));
      g.appendChild(svg("text", { "class": "lane-label", x: 4, y: lane.top + lane.h / 2 + 4 }, lane.label));
      lane.g = g;
      s.appendChild(g);
    });
    var axisY = heldH + plannedH;
    s.appendChild(svg("line", { "class": "axis", x1: LABEL_W, x2: this.width, y1: axisY, y2: axisY }));
    this.ticks().forEach(function (tick) {
      var x = self.x(tick.time);
      s.appendChild(svg("line", { "class": "tick", x1: x, x2: x, y1: 0, y2: axisY + 4 }));
      s.appendChild(svg("text", { "class": "tick-label", x: x + 2, y: axisY + 16 }, tick.label));
    });
    layout.placed.forEach(function (p) {
      var lane = lanes[p.lane], item = p.d.item, w = p.d.when;
      var cy = lane.top + lane.h - 8 - MARK_R - p.row * ROW;
      var label = item.type + (item.mode ? " (" + item.mode + ")" : "") + ": " + names(item.source, self.entities) +
        " → " + names(item.target, self.entities) + ", " + (item.planned ? "planned for " : "") +
        (w.published ? "published " : "") + w.value + ", " + reportCount(item) + " report" +
        (reportCount(item) === 1 ? "" : "s") + " in " + p.d.langs.join(", ");
      var css = "mark " + cssType(item.type) + (w.precision !== "day" || w.published ? " vague" : "") +
        (self.selected === p.d.index ? " selected" : "");
      var mark = svg("circle", {
        "class": css, cx: p.x, cy: cy, r: MARK_R, tabindex: "0", role: "button", "aria-label": label,
        "data-cluster": item.cluster || "", "data-type": item.type, "data-date": w.value,
        "data-planned": item.planned ? "true" : "false", "data-lane": p.lane, "data-index": String(p.d.index),
      });
      mark.appendChild(svg("title", {}, label));
      function open() { self.select(p.d.index); }
      mark.addEventListener("click", open);
      mark.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); }
      });
      lane.g.appendChild(mark);
    });
    var undated = this.items.length - this.dated.length;
    var outside = shown.length - inView.length;
    var parts = [this.items.length + " event" + (this.items.length === 1 ? "" : "s")];
    if (outside) parts.push(outside + " outside the visible dates");
    if (undated) parts.push(undated + " without any date (in the list below)");
    this.note.textContent = parts.join(" · ");
  };

  Chart.prototype.select = function (index) {
    this.selected = index;
    this.draw();
    this.showEvidence(this.items[index]);
  };

  Chart.prototype.showEvidence = function (d) {
    var self = this, item = d.item, box = this.evidence;
    box.textContent = "";
    var head = el("h2", { "class": "evidence-title" });
    head.appendChild(el("span", { "class": "ev " + cssType(item.type) }, item.type));
    head.appendChild(document.createTextNode(
      (item.mode ? " (" + item.mode + ")" : "") + " " + names(item.source, this.entities) + " → " + names(item.target, this.entities)));
    box.appendChild(head);
    var w = d.when;
    box.appendChild(el("p", { "class": "meta" },
      (item.planned ? "planned for " : "") + (w.published ? "published " : "") + w.value + " · " +
      reportCount(item) + " report" + (reportCount(item) === 1 ? "" : "s") + " in " + d.langs.join(", ")));
    var list = el("ul", { "class": "reports evidence-reports" });
    evidenceOf(item).forEach(function (r) {
      var li = el("li", { "class": "report", "data-lang": r.lang || "" });
      li.appendChild(el("span", { "class": "lang-tag" }, r.lang || "?"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("a", { href: "/documents/" + encodeURIComponent(r.doc_id) }, r.title || r.doc_id));
      li.appendChild(el("span", { "class": "meta" }, " " + [r.published, r.outlet].filter(Boolean).join(" · ")));
      if (r.sentence) {
        var quote = el("blockquote", {}, r.sentence);
        if (r.lang) quote.setAttribute("lang", r.lang);
        li.appendChild(quote);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    self.root.dispatchEvent(new CustomEvent("evidence", { detail: { cluster: item.cluster } }));
  };

  // the page's own events (the same JSON as /api/timeline, embedded as a data block) when present
  function embedded(root) {
    var block = document.getElementById(root.getAttribute("data-timeline-data") || "");
    if (!block) return null;
    try { return JSON.parse(block.textContent); } catch (error) { return null; }
  }

  function complete(data) {
    var count = (data.items || []).length;
    if (data.offset) return false;
    if (typeof data.total === "number") return count >= data.total;
    return data.next_offset === null || data.next_offset === undefined;
  }

  function draw(root, data) {
    root.classList.remove("loading");
    if (!data.items.length) { root.hidden = true; return; }
    root.chart = new Chart(root, { items: data.items, entities: data.entities || {} });
  }

  // draw the page's events at once, then every event of the query when the page holds only some
  function setup(root) {
    window.addEventListener("resize", function () { if (root.chart) root.chart.draw(); });
    var first = embedded(root);
    if (first) draw(root, first);
    else root.classList.add("loading");
    if (first && complete(first)) { root.setAttribute("data-ready", "true"); return; }
    var fallback = first && first.limit ? Math.min(first.limit, PAGE) : 20;
    load(root.getAttribute("data-timeline-src"), fallback, function (data) {
      draw(root, data);
      root.setAttribute("data-ready", "true");
    }, function (error) {
      root.classList.remove("loading");
      var note = el("p", { "class": "error" }, "Only the events of this page are drawn: the others could not be read (" +
        error.message + "); the list below has them page by page.");
      if (first) root.appendChild(note);
      else { root.textContent = ""; root.appendChild(note); }
      root.setAttribute("data-ready", "partial");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-timeline-src]"), setup);
  });
})();
