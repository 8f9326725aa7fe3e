// Draws the comparison chart from the JSON the page embeds (#chart-data).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var curated = "#1b7f4b", extracted = "#8aa4c8";
  var colours = data.curated.map(function (c) { return c ? curated : extracted; });
  var dataset = {
    label: data.title + " (" + data.unit + ")",
    data: data.values,
    backgroundColor: colours,
    borderColor: data.type === "line" ? "#345" : colours,
    pointBackgroundColor: colours,
    pointRadius: 5,
    tension: 0.1
  };
  var chart = new Chart(document.getElementById("chart"), {
    type: data.type,
    data: { labels: data.labels, datasets: [dataset] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: data.type === "bar" && data.labels.length > 12 ? "y" : "x",
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            afterLabel: function (ctx) { return data.curated[ctx.dataIndex] ? data.curatedLabel : data.extractedLabel; }
          }
        }
      }
    }
  });
  document.getElementById("chart").dataset.ready = chart ? "1" : "0";
})();
