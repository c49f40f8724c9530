/* A customer's net spend per calendar month, as bars (customers/_purchase_history.html).
 * Data comes from the json_script element named by the container's data-purchase-chart
 * attribute: {labels: ["Mar 2024", …], net: [123.45, …]}. A month whose refunds exceed its
 * purchases is below zero and drawn in the error colour; colours come from the CSS variables. */
(function () {
  "use strict";

  function cssColour(name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  }

  function money(value) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function draw(container) {
    var canvas = container.querySelector("canvas");
    var data = JSON.parse(document.getElementById(container.dataset.purchaseChart).textContent);
    var spend = cssColour("--brand", "#2c5cc5"), refund = cssColour("--error-ink", "#a3262a");
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: "Net spend",
          data: data.net,
          backgroundColor: data.net.map(function (value) { return value < 0 ? refund : spend; }),
          maxBarThickness: 48,
        }],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: true, ticks: { callback: function (value) { return Number(value).toLocaleString(); } } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return "Net spend " + money(item.raw); } } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-purchase-chart]").forEach(function (container) {
      if (container.dataset.drawn) { return; }
      container.dataset.drawn = "true";
      draw(container);
    });
  });
})();
