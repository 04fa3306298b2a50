/* mt-eval report.html: draws the run's data (the JSON in #mt-data). No network. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("mt-data").textContent);
  var SEVERITIES = ["critical", "major", "minor"];
  var PAGE_SIZES = [100, 500, 0];

  var el = MT.el, section = MT.section;  /* dom.js */
  function num(v, digits) { return v === null || v === undefined ? "" : v.toFixed(digits); }
  function badge(sev) { return sev ? el("span", { class: "badge " + sev, text: sev }) : ""; }
  function docName(i) { var d = D.documents[i]; return d ? d.pair + " \u2014 " + d.system : ""; }

  var app = document.getElementById("app");
  app.appendChild(el("header", {},
    el("h1", { text: D.title }),
    el("p", { text: D.documents.length + " documents, " + D.links.length + " links, " +
      D.issues.length + " issues \u2014 mt-eval " + D.version })));
  app.appendChild(el("main", { id: "main" }));

  /* Systems: scores with intervals, flags by severity, gates. */
  (function systems() {
    var s = section("systems", "Systems");
    var head = el("tr", {}, el("th", { text: "system" }), el("th", { class: "num", text: "documents" }),
      el("th", { class: "num", text: "links" }));
    var shown = D.metrics.filter(function (m) { return D.systems.some(function (sys) { return sys.scores[m]; }); });
    shown.forEach(function (m) {
      head.appendChild(el("th", { class: "num" }, D.columns[m], el("br"), el("span", { class: "note", text: "[95 % interval]" })));
    });
    ["dropped", "added", "flagged"].concat(SEVERITIES).forEach(function (c) {
      head.appendChild(el("th", { class: "num", text: c }));
    });
    var body = el("tbody");
    D.systems.forEach(function (sys) {
      var tr = el("tr", {}, el("td", { text: sys.system }), el("td", { class: "num", text: String(sys.pairs) }),
        el("td", { class: "num", text: String(sys.links) }));
      shown.forEach(function (m) {
        var v = sys.scores[m], d = D.digits[m];
        tr.appendChild(el("td", { class: "num", text: v ? num(v[0], d) + " [" + num(v[1], d) + ", " +
          num(v[2], d) + "]" : "" }));
      });
      [sys.dropped, sys.added, sys.flagged].forEach(function (v) {
        tr.appendChild(el("td", { class: "num", text: String(v) }));
      });
      SEVERITIES.forEach(function (sev) {
        var n = 0;
        Object.keys(sys.flags).forEach(function (k) { n += sys.flags[k][sev] || 0; });
        tr.appendChild(el("td", { class: "num", text: String(n) }));
      });
      body.appendChild(tr);
    });
    s.appendChild(el("div", { class: "scroll" }, el("table", { id: "systems-table" }, el("thead", {}, head), body)));
    D.metrics.forEach(function (m) {
      var why = D.unavailable[m];
      if (why && D.systems.some(function (sys) { return !sys.scores[m]; })) {
        s.appendChild(el("p", { class: "note", text: D.columns[m] + " not computed: " + why }));
      }
    });
    if (D.metrics.indexOf("similarity") >= 0) s.appendChild(el("p", { class: "note", text: D.notes.similarity }));
    if (D.gates.length) {
      var ul = el("ul", { id: "gates" });
      D.gates.forEach(function (g) {
        var got = g.value === null ? "not computed" : String(g.value);
        var where = !g.passed && g.documents.length ? " (in " + g.documents.join(", ") + ")" : "";
        ul.appendChild(el("li", { class: "gate " + (g.passed ? "pass" : "fail"),
          text: g.system + ": " + g.gate + " = " + g.threshold + ", got " + got + where }));
      });
      s.appendChild(el("h2", { text: "Gates" }));
      s.appendChild(ul);
    }
    var kinds = {};
    D.systems.forEach(function (sys) { Object.keys(sys.flags).forEach(function (k) { kinds[k] = 1; }); });
    kinds = Object.keys(kinds).sort();
    if (kinds.length) {
      var kh = el("tr", {}, el("th", { text: "flag kind" }));
      D.systems.forEach(function (sys) { kh.appendChild(el("th", { class: "num", text: sys.system })); });
      var kb = el("tbody");
      kinds.forEach(function (k) {
        var tr = el("tr", {}, el("td", { text: k }));
        D.systems.forEach(function (sys) {
          var c = sys.flags[k] || {};
          var parts = SEVERITIES.filter(function (v) { return c[v]; }).map(function (v) { return c[v] + " " + v; });
          tr.appendChild(el("td", { class: "num", text: parts.join(", ") }));
        });
        kb.appendChild(tr);
      });
      s.appendChild(el("h2", { text: "Flags by kind" }));
      s.appendChild(el("div", { class: "scroll" }, el("table", { id: "kinds-table" }, el("thead", {}, kh), kb)));
    }
  })();

  /* Charts: Vega-Lite specs from Python, data from this page. */
  var drawn = [];
  (function charts() {
    var s = section("charts", "Charts");
    if (!window.vegaEmbed || !D.scored.length) {
      s.appendChild(el("p", { class: "muted", text: "no link has a score to chart" }));
      return;
    }
    var pick = el("select", { id: "chart-metric" });
    D.scored.forEach(function (m) { pick.appendChild(el("option", { value: m, text: D.columns[m] })); });
    if (D.scored.indexOf("chrf") >= 0) pick.value = "chrf";
    s.appendChild(el("div", { class: "controls" }, el("label", { text: "metric" }), pick));
    var box = el("div", { class: "charts" });
    Object.keys(D.charts).forEach(function (id) { box.appendChild(el("div", { id: id })); });
    s.appendChild(box);
    var flagRows = [];
    D.systems.forEach(function (sys) {
      Object.keys(sys.flags).forEach(function (k) {
        Object.keys(sys.flags[k]).forEach(function (sev) {
          flagRows.push({ system: sys.system, kind: k, severity: sev, count: sys.flags[k][sev] });
        });
      });
    });
    function draw() {
      var mi = D.metrics.indexOf(pick.value);
      var scores = [], docs = [];
      D.links.forEach(function (l) {
        var v = l.sc[mi];
        if (v !== null && l.d >= 0) scores.push({ system: D.documents[l.d].system, score: v });
      });
      D.documents.forEach(function (d) {
        if (d.sc[mi] !== null) docs.push({ pair: d.pair, system: d.system, score: d.sc[mi] });
      });
      var data = { scores: scores, documents: docs, flags: flagRows };
      Object.keys(D.charts).forEach(function (id) {
        var spec = JSON.parse(JSON.stringify(D.charts[id]));
        spec.datasets = data;
        if (id === "chart-flags" && !flagRows.length) {
          document.getElementById(id).textContent = "no flags";
          return;
        }
        if (id === "chart-documents" && docs.length > 40) spec.encoding.x.axis = { labels: false, ticks: false };
        drawn.push(window.vegaEmbed("#" + id, spec, { actions: false, renderer: "svg" }).catch(function (err) {
          document.getElementById(id).textContent = "chart failed: " + err;
        }));
      });
    }
    pick.addEventListener("change", draw);
    draw();
  })();

  /* Issues: every flag, most severe and most likely first. */
  var showLink;
  (function issues() {
    var s = section("issues", "Issues");
    function options(id, label, values) {
      var sel = el("select", { id: id }, el("option", { value: "", text: "all " + label }));
      values.forEach(function (v) { sel.appendChild(el("option", { value: v, text: v })); });
      return sel;
    }
    function uniq(f) {
      var seen = {};
      D.issues.forEach(function (it) { seen[f(it)] = 1; });
      return Object.keys(seen).sort();
    }
    var kind = options("filter-kind", "kinds", uniq(function (it) { return D.links[it[0]].f[it[1]][0]; }));
    var sev = options("filter-severity", "severities", SEVERITIES);
    var pair = options("filter-pair", "documents", uniq(function (it) { return D.documents[D.links[it[0]].d].pair; }));
    var system = options("filter-system", "systems", uniq(function (it) { return D.documents[D.links[it[0]].d].system; }));
    var search = el("input", { id: "filter-text", type: "search", placeholder: "search text and notes" });
    var size = el("select", { id: "page-size" });
    PAGE_SIZES.forEach(function (n) { size.appendChild(el("option", { value: String(n), text: n ? n + " a page" : "all" })); });
    var prev = el("button", { id: "page-prev", text: "\u2190" }), next = el("button", { id: "page-next", text: "\u2192" });
    var info = el("span", { id: "issue-count", class: "muted" });
    s.appendChild(el("div", { class: "controls" }, kind, sev, pair, system, search, size, prev, next, info));
    var body = el("tbody", { id: "issue-rows" });
    s.appendChild(el("div", { class: "scroll" }, el("table", { id: "issue-table" }, el("thead", {}, el("tr", {},
      el("th", { text: "severity" }), el("th", { text: "kind" }), el("th", { class: "num", text: "risk" }),
      el("th", { text: "document" }), el("th", { text: "system" }), el("th", { text: "ids" }),
      el("th", { text: "note" }), el("th", { text: "source" }), el("th", { text: "translation" }),
      el("th", { text: "" }))), body)));
    var page = 0;
    function matches() {
      var q = search.value.trim().toLowerCase();
      return D.issues.filter(function (it) {
        var l = D.links[it[0]], f = l.f[it[1]], d = D.documents[l.d];
        if (kind.value && f[0] !== kind.value) return false;
        if (sev.value && f[1] !== sev.value) return false;
        if (pair.value && d.pair !== pair.value) return false;
        if (system.value && d.system !== system.value) return false;
        if (q && (l.S + "\n" + l.T + "\n" + f[2] + "\n" + f[0]).toLowerCase().indexOf(q) < 0) return false;
        return true;
      });
    }
    function render() {
      var all = matches(), n = Number(size.value) || all.length || 1;
      var pages = Math.max(1, Math.ceil(all.length / n));
      page = Math.min(page, pages - 1);
      body.textContent = "";
      all.slice(page * n, page * n + n).forEach(function (it) {
        var l = D.links[it[0]], f = l.f[it[1]], d = D.documents[l.d];
        var view = el("a", { class: "view", text: "view" });
        view.addEventListener("click", function () { showLink(it[0]); });
        body.appendChild(el("tr", { class: "issue sev-" + f[1], "data-kind": f[0], "data-severity": f[1],
          "data-pair": d.pair, "data-system": d.system, "data-src": l.s, "data-tgt": l.t, "data-link": String(it[0]) },
          el("td", {}, badge(f[1])), el("td", { text: f[0] }), el("td", { class: "num", text: num(l.r, 3) }),
          el("td", { text: d.pair }), el("td", { text: d.system }),
          el("td", { text: (l.u ? "unit " + l.u + " " : "") + (l.s || "\u2013") + " \u2192 " + (l.t || "\u2013") }),
          el("td", { text: f[2] }), el("td", { class: "text", text: l.S }), el("td", { class: "text", text: l.T }),
          el("td", {}, view)));
      });
      info.textContent = all.length + " of " + D.issues.length + " issues" +
        (pages > 1 ? ", page " + (page + 1) + " of " + pages : "");
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    [kind, sev, pair, system, size].forEach(function (c) { c.addEventListener("change", function () { page = 0; render(); }); });
    search.addEventListener("input", function () { page = 0; render(); });
    prev.addEventListener("click", function () { page -= 1; render(); });
    next.addEventListener("click", function () { page += 1; render(); });
    render();
  })();

  /* Documents: source and translation side by side, link by link. */
  (function documentsView() {
    var s = section("documents", "Documents side by side");
    var pick = el("select", { id: "doc-pick" });
    D.documents.forEach(function (d, i) { pick.appendChild(el("option", { value: String(i), text: docName(i) })); });
    var only = el("input", { id: "doc-flagged", type: "checkbox" });
    s.appendChild(el("div", { class: "controls" }, pick, el("label", {}, only, " flagged links only")));
    var body = el("tbody", { id: "doc-rows" });
    var head = el("tr", {}, el("th", { text: "ids" }), el("th", { text: "source" }), el("th", { text: "translation" }));
    D.scored.forEach(function (m) { head.appendChild(el("th", { class: "num", text: D.columns[m] })); });
    head.appendChild(el("th", { text: "flags" }));
    s.appendChild(el("div", { class: "scroll" }, el("table", { id: "doc-table" }, el("thead", {}, head), body)));
    var byDoc = {};
    D.links.forEach(function (l, i) { (byDoc[l.d] = byDoc[l.d] || []).push(i); });
    function render(focus) {
      var di = Number(pick.value);
      body.textContent = "";
      (byDoc[di] || []).forEach(function (i) {
        var l = D.links[i];
        if (only.checked && !l.f.length && i !== focus) return;
        var src = l.s ? el("td", { class: "text", text: l.S }) : el("td", { class: "text gap", text: "no source: added in the translation" });
        var tgt = l.t ? el("td", { class: "text", text: l.T }) : el("td", { class: "text gap", text: "nothing in the translation" });
        var tr = el("tr", { id: "link-" + i, class: "link" + (l.v ? " sev-" + l.v : "") + (i === focus ? " focus" : ""),
          "data-link": String(i) }, el("td", { text: (l.u ? l.u + " " : "") + (l.s || "\u2013") + " \u2192 " + (l.t || "\u2013") }), src, tgt);
        D.scored.forEach(function (m) { tr.appendChild(el("td", { class: "num", text: num(l.sc[D.metrics.indexOf(m)], D.digits[m]) })); });
        var flags = el("td");
        l.f.forEach(function (f) {
          flags.appendChild(el("div", { class: "flagnote" }, badge(f[1]), " " + f[0] + ": " + f[2]));
        });
        tr.appendChild(flags);
        body.appendChild(tr);
      });
    }
    pick.addEventListener("change", function () { render(-1); });
    only.addEventListener("change", function () { render(-1); });
    showLink = function (i) {
      pick.value = String(D.links[i].d);
      render(i);
      var row = document.getElementById("link-" + i);
      if (row) row.scrollIntoView({ block: "center" });
    };
    if (D.documents.length) render(-1);
  })();

  /* Tests and benchmarks wait for this: everything drawn, charts included. */
  Promise.all(drawn).then(function () { document.documentElement.setAttribute("data-ready", "1"); });
})();
