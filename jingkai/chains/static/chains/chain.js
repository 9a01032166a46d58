/* The chain map: data from json_script "chain-data" (a static file: the CSP allows no inline script). */
(function () {
  var d = JSON.parse(document.getElementById("chain-data").textContent);
  var chart = echarts.init(document.getElementById("chain-map"));
  chart.setOption({
    animation: false,
    title: {text: d.title + "产业链", subtext: "上游 → 中游 → 下游", left: 0, textStyle: {fontSize: 15}},
    tooltip: {formatter: function (p) { return p.dataType === "node" ? p.data.name + "：" + p.data.status + "，" + p.data.firms + " 家企业" + (p.data.key ? "（关键环节）" : "") : ""; }},
    series: [{
      type: "graph", layout: "none", roam: true, top: 90, bottom: 20, left: 80, right: 120,
      symbol: "roundRect", symbolSize: [150, 44], edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
      label: {show: true, color: "#fff", fontSize: 13, formatter: function (p) { return p.data.name + "\n" + p.data.status + " · " + p.data.firms + "家"; }},
      lineStyle: {color: "#8899aa", width: 1.5, curveness: 0.15},
      data: d.nodes.map(function (n) { return {id: n.id, name: n.name, x: n.x, y: n.y, status: n.status, firms: n.firms, key: n.key, url: n.url,
        itemStyle: {color: n.color, borderColor: n.key ? "#1d2b3a" : n.color, borderWidth: n.key ? 2 : 0}}; }),
      links: d.edges
    }]
  });
  chart.on("click", function (p) { if (p.dataType === "node" && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", function () { chart.resize(); });
})();
