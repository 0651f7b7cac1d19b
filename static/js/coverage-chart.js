// Coverage dashboard: filed / built rate per committee as bars, the year's targets as lines.
// The data comes from <script type="application/json" id="coverage-data"> (Django json_script);
// no inline scripts (CSP script-src 'self').
(function () {
  "use strict";
  var source = document.getElementById("coverage-data");
  var canvas = document.getElementById("coverage-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var n = data.labels.length;

  function constant(value) {
    var values = [];
    for (var i = 0; i < n; i++) {
      values.push(value);
    }
    return values;
  }

  var datasets = [
    {
      type: "bar",
      label: data.names.filed,
      data: data.filed,
      backgroundColor: "rgba(183, 28, 28, 0.75)",
      order: 2
    },
    {
      type: "bar",
      label: data.names.built,
      data: data.built,
      backgroundColor: "rgba(245, 166, 35, 0.8)",
      order: 2
    }
  ];
  if (data.target_filed !== null) {
    datasets.push({
      type: "line",
      label: data.names.target_filed,
      data: constant(data.target_filed),
      borderColor: "#7f0000",
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
      order: 1
    });
  }
  if (data.target_built !== null) {
    datasets.push({
      type: "line",
      label: data.names.target_built,
      data: constant(data.target_built),
      borderColor: "#b36b00",
      borderDash: [2, 3],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
      order: 1
    });
  }

  new window.Chart(canvas, {
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      aspectRatio: 2.6,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: {
          beginAtZero: true,
          max: 100,
          ticks: {
            callback: function (value) {
              return value + "%";
            }
          }
        }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (item) {
              return item.dataset.label + "：" + item.parsed.y + "%";
            }
          }
        }
      }
    }
  });
})();
