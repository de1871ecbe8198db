// Draws the campaign burn-up chart on the dashboard (it rises towards the totals): cumulative planned and
// dispatched boxes (left axis) and delivered pieces (right axis). The data
// comes from the JSON block #burndown-data written by the server.
(function () {
  "use strict";
  var dataEl = document.getElementById("burndown-data");
  var canvas = document.getElementById("burndown-chart");
  if (!dataEl || !canvas || typeof Chart === "undefined") {
    return;
  }
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
})();
