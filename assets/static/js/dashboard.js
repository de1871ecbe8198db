// Draws the campaign burn-up chart on the dashboard (it rises towards the totals): cumulative planned and
// dispatched boxes (left axis) and delivered pieces (right axis). The data
// comes from the JSON block #burndown-data written by the server.
//
// Chart.js (200 kB) is fetched and the chart drawn only when the chart
// comes near the viewport, or the page is printed: on a phone the chart
// sits below the first screen, and loading and drawing it at once kept
// the main thread busy for about 0.4 s before the page answered
// (Lighthouse, issue 13).
(function () {
  "use strict";
  var dataEl = document.getElementById("burndown-data");
  var canvas = document.getElementById("burndown-chart");
  if (!dataEl || !canvas) {
    return;
  }
  var started = false;
  function start() {
    if (started) {
      return;
    }
    started = true;
    if (typeof Chart !== "undefined") {
      draw();
      return;
    }
    var s = document.createElement("script");
    s.src = canvas.getAttribute("data-chart-src");
    s.onload = draw;
    document.head.appendChild(s);
  }
  window.addEventListener("beforeprint", start);
  if (!("IntersectionObserver" in window)) {
    start();
    return;
  }
  var seen = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) {
      seen.disconnect();
      start();
    }
  }, { rootMargin: "200px" });
  seen.observe(canvas);

  function draw() {
    var d = JSON.parse(dataEl.textContent);
    var accent = "#7a1f5c", grey = "#8a93a3", green = "#2e8b57";
    new Chart(canvas, {
      type: "line",
      data: {
        labels: d.labels,
        datasets: [
          { label: d.names[0], data: d.planned, borderColor: grey, borderDash: [6, 4], pointRadius: 0, stepped: true, yAxisID: "boxes" },
          { label: d.names[1], data: d.dispatched, borderColor: accent, pointRadius: 0, stepped: true, yAxisID: "boxes" },
          { label: d.names[2], data: d.delivered, borderColor: green, pointRadius: 0, stepped: true, yAxisID: "pieces" }
        ]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 12 } },
          boxes: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: d.axes[0] } },
          pieces: { type: "linear", position: "right", beginAtZero: true, title: { display: true, text: d.axes[1] }, grid: { drawOnChartArea: false } }
        }
      }
    });
  }
})();
