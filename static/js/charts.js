// Browser side of the dashboard's pages: draws the Plotly figures the views embed (tables are sorted by the
// server, through links in their headers). Loaded with `defer` after build/plotly.min.js; no inline script anywhere, so a strict
// Content-Security-Policy (script-src 'self') holds.
//
// A chart:  <div class="chart" data-figure="ID" role="img" aria-label="…"></div>
//           <script id="ID" type="application/json">{"data": […], "layout": {…}}</script>  (json_script)
(function () {
  "use strict";

  var FALLBACK = "Không vẽ được biểu đồ; xem bảng số liệu bên cạnh.";

  // Printable width of an A4 portrait page with the browser's default margins, in CSS pixels (96 dpi).
  var PRINT_WIDTH = 680;

  // A phone: no toolbar over the chart's title (zooming and saving are for a desktop), the legend well below
  // the axis title it overprinted, the heatmap's column labels under it instead of on its title, and its
  // cells without numbers too small to read (a touch on a cell, and the data table below, give them).
  var PHONE = Boolean(window.matchMedia && window.matchMedia("(max-width: 600px)").matches);

  function forPhone(fig) {
    var layout = Object.assign({}, fig.layout);
    layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, y: -0.3, yanchor: "top" });
    var data = fig.data.map(function (trace) {
      if (trace.type !== "heatmap") return trace;
      layout.xaxis = Object.assign({}, layout.xaxis, { side: "bottom", tickangle: -60 });
      return Object.assign({}, trace, { texttemplate: "" });
    });
    return { data: data, layout: layout };
  }

  function chartConfig(id) {
    return {
      displayModeBar: PHONE ? false : "hover",
      displaylogo: false,
      responsive: true,
      locale: "vi",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
      toImageButtonOptions: { format: "png", filename: id },
    };
  }

  function showFallback(el, reason) {
    el.textContent = FALLBACK;
    el.setAttribute("data-chart-state", "failed");
    // role="img" would hide the message from screen readers (an image's content is not read) and the label
    // describes a picture that is not there.
    el.removeAttribute("role");
    el.removeAttribute("aria-label");
    if (window.console) console.warn("charts.js: figure " + (el.dataset.figure || "?") + ": " + reason);
  }

  function drawChart(el) {
    var id = el.dataset.figure;
    if (el.hasAttribute("data-chart-state")) return; // already drawn (the script included twice)
    if (typeof window.Plotly === "undefined") return showFallback(el, "Plotly is not loaded");
    var source = document.getElementById(id);
    if (!source) return showFallback(el, "no <script id=" + id + "> on the page");
    var fig;
    try {
      fig = JSON.parse(source.textContent);
      if (!fig || !Array.isArray(fig.data)) throw new Error("no data array");
    } catch (error) {
      return showFallback(el, "invalid figure JSON (" + error.message + ")");
    }
    if (PHONE) fig = forPhone(fig);
    el.setAttribute("data-chart-state", "drawing");
    // newPlot may throw at once or reject later; either way the page keeps working.
    try {
      Promise.resolve(window.Plotly.newPlot(el, fig.data, fig.layout || {}, chartConfig(id))).then(
        function () { el.setAttribute("data-chart-state", "drawn"); },
        function (error) { window.Plotly.purge(el); showFallback(el, error && error.message); }
      );
    } catch (error) {
      try { window.Plotly.purge(el); } catch (ignored) { /* nothing was drawn */ }
      showFallback(el, error && error.message);
    }
  }

  function drawnCharts() {
    return document.querySelectorAll('.chart[data-figure][data-chart-state="drawn"]');
  }

  // Printing. Plotly.Plots.resize redraws only after a 100 ms timer, and browsers lay out the printed page
  // right after the beforeprint handlers, without running timers: a chart as wide as the screen would be
  // cut off. So before printing, wide charts are narrowed at once (relayout of a drawn chart is
  // synchronous); after printing, Plots.resize gives every chart back the width of its container.
  function fitForPrint() {
    drawnCharts().forEach(function (el) {
      if (el.clientWidth <= PRINT_WIDTH) return;
      el.setAttribute("data-print-width", "");
      ignoreRejection(window.Plotly.relayout(el, { width: PRINT_WIDTH }));
    });
  }

  function fitForScreen() {
    drawnCharts().forEach(function (el) {
      if (el.hasAttribute("data-print-width")) {
        el.removeAttribute("data-print-width");
        delete el.layout.width; // Plots.resize would keep a width set by relayout
      }
      ignoreRejection(window.Plotly.Plots.resize(el));
    });
  }

  // Plots.resize rejects for a hidden chart (e.g. in a closed <details>); that is no error worth a console
  // message ("Uncaught (in promise)").
  function ignoreRejection(promise) {
    if (promise && promise.catch) promise.catch(function () {});
  }

  function init() {
    document.querySelectorAll(".chart[data-figure]").forEach(drawChart);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("beforeprint", fitForPrint);
  window.addEventListener("afterprint", fitForScreen);
})();
