/* The drill-down charts, from data embedded with json_script: sorted horizontal bars of the zones (every bar
   labelled with its value) and a zone's months (当月值 bars, 累计同比 on a second axis). */
(function () {
  "use strict";
  function amount(v) { return v == null ? "—" : Number(v).toLocaleString("zh-CN", {maximumFractionDigits: 1}); }
  function rate(v) { return v == null ? "—" : (v * 100).toFixed(1) + "%"; }
  function data(el, attr) { return JSON.parse(document.getElementById(el.getAttribute(attr)).textContent); }

  var bars = document.querySelector("[data-bars]");
  if (bars) {
    var d = data(bars, "data-bars");
    var chart = echarts.init(bars);
    chart.setOption({
      animation: false, grid: {left: 8, right: 90, top: 8, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: function (p) {
        var i = p[0].dataIndex; return d.names[i] + "<br>" + amount(d.values[i]) + " " + d.unit + "，同比 " + rate(d.yoy[i]); }},
      xAxis: {type: "value", axisLabel: {formatter: amount}},
      yAxis: {type: "category", data: d.names, axisLabel: {fontSize: 12}},
      series: [{type: "bar", data: d.values, itemStyle: {color: "#1f5aa6"}, barMaxWidth: 22,
                label: {show: true, position: "right", formatter: function (p) { return amount(p.value); }}}]
    });
    chart.on("click", function (p) { window.location = d.urls[p.dataIndex]; });
  }

  var months = document.querySelector("[data-months]");
  if (months) {
    var m = data(months, "data-months");
    echarts.init(months).setOption({
      animation: false, legend: {top: 0}, grid: {left: 8, right: 8, top: 36, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: m.labels},
      yAxis: [{type: "value", name: m.unit, axisLabel: {formatter: amount}},
              {type: "value", name: "同比", axisLabel: {formatter: rate}, splitLine: {show: false}}],
      series: [{name: m.own, type: "bar", data: m.month, itemStyle: {color: "#1f5aa6"}, barMaxWidth: 28,
                label: {show: true, position: "top", fontSize: 10, formatter: function (p) { return amount(p.value); }},
                tooltip: {valueFormatter: amount}},
               {name: "累计同比", type: "line", yAxisIndex: 1, data: m.yoy, itemStyle: {color: "#b3261e"},
                tooltip: {valueFormatter: rate}}]
    });
  }
})();
