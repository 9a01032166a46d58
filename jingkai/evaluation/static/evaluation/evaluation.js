/* Scorecard charts (radar of group scores, drag bars, trend of ranks) from the json_script "evaluation-charts". */
(function () {
  "use strict";
  var COLORS = ["#c0392b", "#1f5aa6", "#8a9bb0"];

  function init(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function render() {
    var source = document.getElementById("evaluation-charts");
    if (!source) return;
    var d = JSON.parse(source.textContent);
    init("chart-radar", {
      animation: false, color: COLORS, tooltip: {}, legend: {bottom: 0, data: d.radar.series.map(function (s) { return s.name; })},
      radar: {indicator: d.radar.indicators, radius: "62%", center: ["50%", "48%"], splitNumber: 4},
      series: [{type: "radar", data: d.radar.series.map(function (s, i) {
        return {name: s.name, value: s.value, areaStyle: i === 0 ? {opacity: 0.18} : undefined,
                lineStyle: {width: i === 0 ? 2.5 : 1.5, type: i === 0 ? "solid" : "dashed"}};
      })}]
    });
    init("chart-drags", {
      animation: false, color: ["#c0392b", "#e8a09a"], tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {top: 0, data: ["较中位数失分", "较前四分之一失分"]},
      grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: "value", name: "分"},
      yAxis: {type: "category", data: d.drags.names.slice().reverse(), axisLabel: {width: 150, overflow: "truncate"}},
      series: [
        {name: "较中位数失分", type: "bar", data: d.drags.median.slice().reverse()},
        {name: "较前四分之一失分", type: "bar", data: d.drags.top.slice().reverse()}
      ]
    });
    init("chart-trend", {
      animation: false, color: ["#1f5aa6", "#c0392b", "#2e8b57"], tooltip: {trigger: "axis"},
      legend: {top: 0, data: ["全国排名", "地区排名", "综合得分"]},
      grid: {left: 8, right: 8, top: 36, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: d.trend.years},
      yAxis: [{type: "value", name: "名次", inverse: true, minInterval: 1}, {type: "value", name: "得分", splitLine: {show: false}}],
      series: [
        {name: "全国排名", type: "line", data: d.trend.rank},
        {name: "地区排名", type: "line", data: d.trend.region_rank},
        {name: "综合得分", type: "line", yAxisIndex: 1, data: d.trend.score, lineStyle: {type: "dashed"}}
      ]
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
