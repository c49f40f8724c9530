/* Charts of a segmentation run: customers by segment (scatter) and the K sweep (elbow and
 * silhouette). A run on three or more features opens on its principal plane (axes
 * "projection_1/2", named by their main loadings); any pair of features can be picked. Data comes from a json_script element named by the container's data-charts
 * attribute; colours come from the --segment-N CSS variables so pages and charts agree. */
(function () {
  "use strict";

  var OUTLIER_COLOUR = "#9aa3b2"; // outliers belong to no segment: grey, never a segment colour

  function segmentColour(number) {
    var style = getComputedStyle(document.documentElement);
    return style.getPropertyValue("--segment-" + (number % 10)).trim() || "#888";
  }

  function label(data, feature) {
    var text = data.labels[feature] || feature;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function defaultAxes(data, columns) {
    var preferred = data.features.concat(columns.filter(function (c) { return data.features.indexOf(c) < 0; }));
    return { x: preferred[0], y: preferred[1] || preferred[0] };
  }

  function scatterDatasets(data, columns, axes) {
    var xi = columns.indexOf(axes.x), yi = columns.indexOf(axes.y), si = columns.indexOf("segment");
    var datasets = data.segments.map(function (segment) {
      var colour = segment.outliers ? OUTLIER_COLOUR : segmentColour(segment.number);
      return {
        label: segment.name,
        data: [],
        backgroundColor: colour + "99",
        borderColor: colour,
        pointRadius: 3,
        pointHoverRadius: 5,
      };
    });
    data.sample.rows.forEach(function (row) {
      datasets[row[si]].data.push({ x: row[xi], y: row[yi] });
    });
    var centred = data.features.indexOf(axes.x) >= 0 && data.features.indexOf(axes.y) >= 0;
    if (centred) {
      datasets.push({
        label: "Segment centres",
        data: data.segments.filter(function (s) { return !s.outliers; })
          .map(function (s) { return { x: s.centroid[axes.x], y: s.centroid[axes.y] }; }),
        pointStyle: "crossRot", pointRadius: 13, borderWidth: 4, borderColor: "#1d2433", backgroundColor: "#1d2433",
      });
    }
    if (data.point && data.point[axes.x] !== undefined && data.point[axes.y] !== undefined) {
      datasets.push({
        label: "This shopper",
        data: [{ x: Number(data.point[axes.x]), y: Number(data.point[axes.y]) }],
        pointStyle: "star", pointRadius: 14, borderWidth: 3, borderColor: "#d9480f", backgroundColor: "#d9480f",
      });
    }
    return datasets;
  }

  function drawScatter(container, data) {
    var canvas = container.querySelector('[data-chart="scatter"]');
    if (!canvas || !data.sample) { return; }
    var columns = data.sample.columns.filter(function (c) { return c !== "segment"; });
    var axes = defaultAxes(data, columns);
    var chart = new Chart(canvas, {
      type: "scatter",
      data: { datasets: scatterDatasets(data, data.sample.columns, axes) },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { title: { display: true, text: label(data, axes.x) } },
          y: { title: { display: true, text: label(data, axes.y) } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
    var note = container.querySelector("[data-chart-note]");
    var shown = data.sample.rows.length;
    note.textContent = shown < data.customerCount
      ? "A seeded sample of " + shown.toLocaleString() + " of " + data.customerCount.toLocaleString() + " customers is shown."
      : "All " + shown.toLocaleString() + " customers are shown.";
    if (data.features.length > 2) {
      var pickers = container.querySelector(".axis-pickers");
      pickers.hidden = false;
      pickers.querySelectorAll("select").forEach(function (select) {
        columns.forEach(function (column) { select.add(new Option(label(data, column), column)); });
        select.value = axes[select.dataset.axis];
        select.addEventListener("change", function () {
          axes[select.dataset.axis] = select.value;
          chart.data.datasets = scatterDatasets(data, data.sample.columns, axes);
          chart.options.scales.x.title.text = label(data, axes.x);
          chart.options.scales.y.title.text = label(data, axes.y);
          chart.update();
        });
      });
    }
  }

  function drawCurve(canvas, data, values, title) {
    if (!canvas) { return; }
    var chosen = data.sweep.ks.indexOf(data.k);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.sweep.ks,
        datasets: [{
          label: title,
          data: values,
          borderColor: "#2c5cc5",
          backgroundColor: "#2c5cc5",
          pointRadius: values.map(function (_, i) { return i === chosen ? 8 : 3; }),
          pointBackgroundColor: values.map(function (_, i) { return i === chosen ? "#d9480f" : "#2c5cc5"; }),
        }],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { title: { display: true, text: "K (number of segments)" } }, y: { title: { display: true, text: title } } },
        plugins: { legend: { display: false }, title: { display: true, text: title + " by K (chosen K in orange)" } },
      },
    });
  }

  function init(root) {
    root.querySelectorAll("[data-charts]").forEach(function (container) {
      if (container.dataset.drawn) { return; }
      container.dataset.drawn = "true";
      var data = JSON.parse(document.getElementById(container.dataset.charts).textContent);
      drawScatter(container, data);
      if (data.sweep) {
        drawCurve(container.querySelector('[data-chart="elbow"]'), data, data.sweep.inertias, "Inertia");
        drawCurve(container.querySelector('[data-chart="silhouette"]'), data, data.sweep.silhouettes, "Silhouette");
      }
    });
  }

  window.MallsegCharts = { init: init };
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
