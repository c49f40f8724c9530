/* Segments over time: one line per segment identity across the successive active runs, coloured
 * like the segment in its latest run (outliers grey). Data comes from the evolution-data
 * json_script; the page's table holds the same figures for those who cannot see the chart. */
(function () {
  "use strict";

  var OUTLIER_COLOUR = "#9aa3b2";

  function colour(line) {
    if (line.outliers) { return OUTLIER_COLOUR; }
    var style = getComputedStyle(document.documentElement);
    return style.getPropertyValue("--segment-" + (line.number % 10)).trim() || "#888";
  }

  function draw() {
    var canvas = document.getElementById("evolution-chart");
    var source = document.getElementById("evolution-data");
    if (!canvas || !source) { return; }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (line) {
          return {
            label: line.name,
            data: line.sizes,
            borderColor: colour(line),
            backgroundColor: colour(line),
            spanGaps: false,
            pointRadius: 4,
            tension: 0.2,
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { title: { display: true, text: "Active runs, oldest first" } },
          y: { beginAtZero: true, title: { display: true, text: "Customers" } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
