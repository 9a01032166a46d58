/* Line charts from data embedded with Django's json_script: <div class="chart" data-chart="ID">. */
(function () {
  "use strict";
  var COLORS = ["#1f5aa6", "#c0392b", "#2e8b57", "#d48806", "#6f42c1", "#0e7c86"];

  function fmt(v, unit) {
    if (v === null || v === undefined) return "—";
    if (unit === "fraction") return (v * 100).toFixed(2) + "%";
    return Number(v).toLocaleString("zh-CN", {maximumFractionDigits: 1});
  }

  function option(d) {
    var names = [];
    var series = d.series.map(function (s) {
      if (names.indexOf(s.name) < 0) names.push(s.name);
      var color = COLORS[names.indexOf(s.name) % COLORS.length];
      return {
        name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 5,
        lineStyle: {color: color, width: s.dashed ? 1.5 : 2.5, type: s.dashed ? "dashed" : "solid",
                    opacity: s.dashed ? 0.6 : 1},
        itemStyle: {color: color, opacity: s.dashed ? 0.6 : 1}
      };
    });
    var unit = d.unit === "fraction" ? "%" : d.unit;
    return {
      animation: false,
      color: COLORS,
      title: {text: d.title + "（" + unit + "）", subtext: d.subtitle, left: 0,
              textStyle: {fontSize: 15, fontWeight: "bold", color: "#1d2b3a"}, subtextStyle: {color: "#6b7785"}},
      legend: {data: names, top: 56, left: 0, itemWidth: 18},
      grid: {left: 8, right: 16, top: 92, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", formatter: function (items) {
        var lines = [items[0].axisValueLabel];
        items.forEach(function (p) {
          lines.push(p.marker + p.seriesName + " " + d.series[p.seriesIndex].year + "年：" + fmt(p.value, d.unit));
        });
        return lines.join("<br>");
      }},
      xAxis: {type: "category", data: d.x, boundaryGap: false, axisLabel: {fontSize: 11}},
      yAxis: {type: "value", axisLabel: {formatter: function (v) { return fmt(v, d.unit); }},
              splitLine: {lineStyle: {color: "#e5e9ef"}}},
      series: series
    };
  }

  /* Renders every <div class="chart" data-KIND="ID"> with option(data) once, now and after HTMX swaps.
     Other scripts register their own kinds: window.jingkaiCharts("bars", option). */
  function register(kind, makeOption) {
    function render(root) {
      (root || document).querySelectorAll(".chart[data-" + kind + "]").forEach(function (el) {
        if (el.dataset.rendered) return;
        var source = document.getElementById(el.dataset[kind]);
        if (!source || !window.echarts) return;
        var chart = echarts.init(el, null, {renderer: "canvas"});
        chart.setOption(makeOption(JSON.parse(source.textContent)));
        el.dataset.rendered = "1";
        window.addEventListener("resize", function () { chart.resize(); });
      });
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { render(); });
    else render();
    document.addEventListener("htmx:afterSwap", function (e) { render(e.target); });
  }

  window.jingkaiCharts = register;
  register("chart", option);
})();
