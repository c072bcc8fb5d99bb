// Draws the charts of the indicators pages from JSON embedded in the page (json_script).
// Every chart has its table beside it; the chart is decoration for sighted users.
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var locale = document.documentElement.lang || "vi";
  function trend(canvas, d) {
    var points = d.points.filter(function (p) { return p.value !== null || p.target !== null; });
    var datasets = [{
      label: d.label, data: points.map(function (p) { return p.value; }),
      borderColor: "#1565c0", backgroundColor: "#1565c0", spanGaps: true, tension: 0.2
    }];
    if (points.some(function (p) { return p.target !== null; })) {
      datasets.push({
        label: canvas.dataset.targetLabel, data: points.map(function (p) { return p.target; }),
        borderColor: "#c62828", borderDash: [6, 4], pointRadius: 3, showLine: false,
        backgroundColor: "#c62828"
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: points.map(function (p) { return p.year; }), datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: canvas.dataset.legend === "1" } },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return v.toLocaleString(locale); } } } } }
    });
  }
  function bars(canvas, d) {
    var rows = d.communes;
    var datasets = [{ type: "bar", label: d.label, data: rows.map(function (r) { return r.value; }), backgroundColor: "#42a5f5" }];
    if (d.target !== null) {
      datasets.push({ type: "line", label: canvas.dataset.targetLabel, data: rows.map(function () { return d.target; }),
        borderColor: "#c62828", borderDash: [6, 4], pointRadius: 0 });
    }
    new Chart(canvas, {
      data: { labels: rows.map(function (r) { return r.name; }), datasets: datasets },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        onClick: function (evt, elements) { if (elements.length) { window.location = rows[elements[0].index].url; } },
        scales: { x: { beginAtZero: true } } }
    });
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var d = data(canvas.dataset.chart);
    if (!d || typeof Chart === "undefined") { return; }
    if (canvas.dataset.kind === "bars") { bars(canvas, d); } else { trend(canvas, d); }
  });
})();
