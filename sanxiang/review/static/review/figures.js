// The legal review figures page: draws the charts from the data the page embeds (json_script).
(function () {
  "use strict";
  var source = document.getElementById("review-figures-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function bar(id, series) {
    var node = document.getElementById(id);
    if (!node) { return; }
    echarts.init(node).setOption({
      tooltip: {},
      grid: { left: 40, right: 16, top: 16, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: series.labels, axisLabel: { interval: 0, rotate: series.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: series.values, itemStyle: { color: "#1f5fa8" } }]
    });
  }
  var pie = document.getElementById("chart-outcome");
  if (pie) {
    echarts.init(pie).setOption({
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.by_outcome, label: { formatter: "{b}：{c}" } }]
    });
  }
  bar("chart-rounds", data.rounds);
  bar("chart-days", data.days);
  bar("chart-items", data.items);
})();
