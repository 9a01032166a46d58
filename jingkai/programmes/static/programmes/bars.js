/* Bar charts (grouped or stacked) from data embedded with json_script: <div class="chart" data-bars="ID">; needs web/charts.js. */
(function () {
  "use strict";
  var COLORS = ["#1f5aa6", "#2e8b57", "#d48806", "#c0392b", "#8c96a3", "#6f42c1", "#0e7c86"];

  function option(d) {
    return {
      animation: false, color: COLORS,
      title: {text: d.title + "（" + d.unit + "）", left: 0, textStyle: {fontSize: 15, fontWeight: "bold", color: "#1d2b3a"}},
      legend: {top: 34, left: 0, itemWidth: 14},
      grid: {left: 8, right: 16, top: 78, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      xAxis: {type: "category", data: d.categories, axisLabel: {fontSize: 11, interval: 0, rotate: d.categories.length > 6 ? 30 : 0,
              formatter: function (v) { return v.replace("经济技术开发区", "经开区"); }}},
      yAxis: {type: "value", minInterval: 1, splitLine: {lineStyle: {color: "#e5e9ef"}}},
      series: d.series.map(function (s) {
        return {name: s.name, type: "bar", stack: s.stack, data: s.data, barMaxWidth: 28};
      })
    };
  }

  window.jingkaiCharts("bars", option);  // web/charts.js renders them
})();
