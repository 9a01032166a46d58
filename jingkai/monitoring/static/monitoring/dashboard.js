/* The dashboard's growth trend: data from json_script "trend-data" (a static file: the CSP allows no inline script). */
(function () {
  var d = JSON.parse(document.getElementById("trend-data").textContent);
  echarts.init(document.getElementById("trend")).setOption({
    title: {text: "规上工业总产值累计现价增长", left: "center"}, tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : (v * 100).toFixed(1) + "%"; }},
    legend: {bottom: 0, type: "scroll"}, grid: {left: 60, right: 30, bottom: 60},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", axisLabel: {formatter: function (v) { return (v * 100).toFixed(0) + "%"; }}},
    series: d.series.map(function (s) {
      var bench = s.name === d.benchmark;
      return {name: s.name, type: "line", data: s.data, connectNulls: false,
              lineStyle: bench ? {width: 4, type: "dashed", color: "#333"} : undefined, itemStyle: bench ? {color: "#333"} : undefined};
    })
  });
})();
