/* The dashboard's charts: each one drawn from the table beside it (the table is the
   source and the accessible version; the chart is decoration, hidden from screen readers). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  var PALETTE = ["#1f4e8c", "#1d7a46", "#9a6700", "#b42318", "#6b4fa0", "#0f7b8a",
                 "#c2569b", "#5b6877", "#8a6d3b", "#2e8540"];

  function readTable(table) {
    var cells = table.querySelectorAll("thead th");
    var headers = Array.prototype.map.call(cells, function (th) { return th.textContent.trim(); });
    var colours = Array.prototype.map.call(cells, function (th) {
      return th.getAttribute("data-colour");
    }).slice(1);
    var labels = [];
    var series = headers.slice(1).map(function () { return []; });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      labels.push(tr.querySelector("th").textContent.trim());
      tr.querySelectorAll("td").forEach(function (td, i) {
        series[i].push(Number(td.textContent.trim()) || 0);
      });
    });
    return { columns: headers.slice(1), colours: colours, labels: labels, series: series };
  }

  document.querySelectorAll("canvas[data-chart-for]").forEach(function (canvas) {
    var table = document.getElementById(canvas.getAttribute("data-chart-for"));
    if (!table) return;
    var kind = table.getAttribute("data-chart") || "stacked";
    var data = readTable(table);
    var datasets = data.columns.map(function (name, i) {
      var colour = data.colours[i] || PALETTE[i % PALETTE.length];
      return {
        label: name, data: data.series[i], backgroundColor: colour, borderColor: colour,
        fill: false, tension: 0.2
      };
    });
    var stacked = kind === "stacked";
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          x: { stacked: stacked },
          y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
    canvas.setAttribute("data-chart-ready", "1");
  });
})();
