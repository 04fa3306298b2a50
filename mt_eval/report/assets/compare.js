/* mt-eval compare report.html: baseline against current (the JSON in #mt-data). No network. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("mt-data").textContent);
  var STATUS = D.statuses;  /* flags gained, changed, unchanged: compare_report.STATUS_ORDER */

  var el = MT.el, section = MT.section;  /* dom.js */
  var app = document.getElementById("app");
  var gained = D.units.filter(function (u) { return u.status === "flags gained"; }).length;
  app.appendChild(el("header", {},
    el("h1", { text: D.title }),
    el("p", { text: D.baseline + " \u2192 " + D.current + ": " + D.units.length + " units, " + gained +
      " with new flags; " + (D.failures.length ? D.failures.length + " failures" : "no failure") +
      " \u2014 mt-eval " + D.version })));
  app.appendChild(el("main", { id: "main" }));

  (function verdict() {
    var s = section("verdict", D.failures.length ? "Fails" : "Passes");
    var ul = el("ul", { id: "failures" });
    D.failures.forEach(function (f) { ul.appendChild(el("li", { class: "gate fail", text: f })); });
    if (!D.failures.length) ul.appendChild(el("li", { class: "gate pass", text: "no change fails the comparison" }));
    s.appendChild(ul);
    D.warnings.forEach(function (w) { s.appendChild(el("p", { class: "note", text: w })); });
    var head = el("tr", {});
    D.summary_columns.forEach(function (c) { head.appendChild(el("th", { text: c })); });
    var body = el("tbody");
    D.summary.forEach(function (row) {
      var tr = el("tr", { class: row.fails === "yes" ? "sev-critical" : "" });
      D.summary_columns.forEach(function (c) { tr.appendChild(el("td", { text: row[c] })); });
      body.appendChild(tr);
    });
    s.appendChild(el("div", { class: "scroll" }, el("table", { id: "summary-table" }, el("thead", {}, head), body)));
  })();

  (function units() {
    var s = section("units", "Units, baseline against current");
    function options(id, label, values) {
      var sel = el("select", { id: id }, el("option", { value: "", text: "all " + label }));
      values.forEach(function (v) { sel.appendChild(el("option", { value: v, text: v })); });
      return sel;
    }
    var systems = {};
    D.units.forEach(function (u) { systems[u.system] = 1; });
    var system = options("filter-system", "systems", Object.keys(systems).sort());
    var status = options("filter-status", "units", STATUS);
    status.insertBefore(el("option", { value: "changed-or-gained", text: "new flags or changed" }), status.options[1]);
    status.value = D.units.some(function (u) { return u.status !== "unchanged"; }) ? "changed-or-gained" : "";
    var search = el("input", { id: "filter-text", type: "search", placeholder: "search texts" });
    var info = el("span", { id: "unit-count", class: "muted" });
    s.appendChild(el("div", { class: "controls" }, system, status, search, info));
    var body = el("tbody", { id: "unit-rows" });
    s.appendChild(el("div", { class: "scroll" }, el("table", { id: "unit-table" }, el("thead", {}, el("tr", {},
      el("th", { text: "status" }), el("th", { text: "document" }), el("th", { text: "system" }),
      el("th", { text: "ids" }), el("th", { text: "source" }), el("th", { text: "baseline" }),
      el("th", { text: "current" }), el("th", { text: "flags gained" }), el("th", { text: "flags lost" }),
      el("th", { text: "scores" }))), body)));
    var LIMIT = 500;
    function render() {
      var q = search.value.trim().toLowerCase();
      var shown = D.units.filter(function (u) {
        if (system.value && u.system !== system.value) return false;
        if (status.value === "changed-or-gained" && u.status === "unchanged") return false;
        if (status.value && status.value !== "changed-or-gained" && u.status !== status.value) return false;
        if (q && (u.src_text + "\n" + u.old_text + "\n" + u.new_text).toLowerCase().indexOf(q) < 0) return false;
        return true;
      });
      body.textContent = "";
      shown.slice(0, LIMIT).forEach(function (u) {
        var cls = u.status === "flags gained" ? "sev-critical" : u.status === "changed" ? "sev-minor" : "";
        body.appendChild(el("tr", { class: "unit " + cls, "data-status": u.status, "data-system": u.system },
          el("td", { text: u.status }), el("td", { text: u.pair }), el("td", { text: u.system }),
          el("td", { text: (u.unit ? "unit " + u.unit + " " : "") + u.src_ids }),
          el("td", { class: "text", text: u.src_text }),
          el("td", { class: "text", text: u.old_text }), el("td", { class: "text", text: u.new_text }),
          el("td", { text: u.flags_gained }), el("td", { text: u.flags_lost }),
          el("td", { class: "note", text: u.scores })));
      });
      info.textContent = shown.length + " of " + D.units.length + " units" +
        (shown.length > LIMIT ? " (first " + LIMIT + " shown: narrow the filters)" : "");
    }
    [system, status].forEach(function (c) { c.addEventListener("change", render); });
    search.addEventListener("input", render);
    render();
  })();
})();
