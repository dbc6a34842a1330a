/* Interactive charts on demand. Every chart is already in the page as SVG, drawn when the book
   was built. Once the page has painted and is idle, this loads the Vega bundle (report-vega.js,
   next to this file) and, as each chart comes into view, loads its spec (data-spec, a script that
   calls reportChartSpec, so pages opened from disk work too), draws its interactive version from
   it and the same variant (wide or narrow) out of sight, then swaps it in: same size, same place,
   now with tooltips and legend filters. If anything fails, the static SVG stays. */
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = script.src.replace(/report-charts\.js(\?.*)?$/, "report-vega.js");

  var waiting = {};

  window.reportChartSpec = function (id, spec) {
    var resolve = waiting[id];
    delete waiting[id];
    if (resolve) { resolve(spec); }
  };

  function loadSpec(chart) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      waiting[chart.id] = resolve;
      tag.src = chart.dataset.spec;
      tag.onerror = function () {
        delete waiting[chart.id];
        reject(new Error("could not load " + tag.src));
      };
      document.head.appendChild(tag);
    });
  }

  function visibleVariant(chart) {
    var variants = chart.querySelectorAll(".chart-variant");
    for (var i = 0; i < variants.length; i += 1) {
      if (variants[i].offsetParent !== null) { return variants[i]; }
    }
    return null;
  }

  function upgrade(chart) {
    var variant = visibleVariant(chart);
    if (!variant || !chart.dataset.spec || variant.classList.contains("is-live")) { return; }
    var live = document.createElement("div");
    live.className = "chart-live";
    loadSpec(chart).then(function (spec) {
      var patch = JSON.parse(variant.getAttribute("data-patch") || "{}");
      Object.keys(patch).forEach(function (key) {
        if (patch[key] === null) { delete spec[key]; } else { spec[key] = patch[key]; }
      });
      variant.appendChild(live);
      return window.reportCharts.embed(live, spec);
    }).then(function () {
      var drawn = variant.querySelector(":scope > svg");
      if (drawn) { drawn.remove(); }
      variant.classList.add("is-live");
    }).catch(function (error) {
      live.remove();
      console.warn("The interactive chart " + chart.id + " could not be drawn; the static one stays.", error);
    });
  }

  function start() {
    var charts = document.querySelectorAll(".report-chart");
    if (!("IntersectionObserver" in window)) {
      charts.forEach(upgrade);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); upgrade(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    charts.forEach(function (chart) { observer.observe(chart); });
  }

  function load() {
    var tag = document.createElement("script");
    tag.src = bundle;
    tag.onload = start;
    document.head.appendChild(tag);
  }

  function whenIdle() {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(load, { timeout: 2000 }); }
    else { window.setTimeout(load, 200); }
  }

  if (document.readyState === "complete") { whenIdle(); }
  else { window.addEventListener("load", whenIdle); }
})();
