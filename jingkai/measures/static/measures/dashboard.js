/* Task status by measure: data from json_script "by-measure" (a static file: the CSP allows no inline script). */
(function () {
  var rows = JSON.parse(document.getElementById("by-measure").textContent);
  var statuses = ["未启动", "按期推进", "滞后", "已逾期", "已完成"];
  var colors = ["#9aa5b1", "#2f7ed8", "#f0a030", "#c0392b", "#27ae60"];
  var chart = echarts.init(document.getElementById("measure-chart"));
  chart.setOption({
    title: {text: "各条措施任务状态", left: "center"}, tooltip: {trigger: "axis"},
    legend: {bottom: 0}, grid: {left: 220, right: 30, bottom: 40},
    xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", inverse: true, data: rows.map(function (r) { return r.label; })},
    series: statuses.map(function (s, i) {
      return {name: s, type: "bar", stack: "n", color: colors[i], data: rows.map(function (r) { return r.counts[i]; })};
    })
  });
})();
