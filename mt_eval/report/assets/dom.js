/* mt-eval pages: the DOM helpers report.js and compare.js share (window.MT). No network. */
(function () {
  "use strict";
  /* el("tr", {class: "x", text: "y"}, child, ...): an element, its attributes and children. */
  function el(tag, attrs) {
    var e = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (k) {
      if (k === "text") e.textContent = a[k];
      else if (k === "class") e.className = a[k];
      else if (a[k] !== null && a[k] !== undefined) e.setAttribute(k, a[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid === null || kid === undefined) continue;
      e.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
    }
    return e;
  }
  /* A titled section appended to #main. */
  function section(id, title) {
    var s = el("section", { id: id }, el("h2", { text: title }));
    document.getElementById("main").appendChild(s);
    return s;
  }
  window.MT = { el: el, section: section };
})();
