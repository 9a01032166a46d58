/* The zone's energy balance as an ECharts sankey: <div class="chart" data-sankey="ID"> with json_script data
   {title, nodes: [{name}], links: [{source, target, value}]} (吨标准煤, 当量值). */
(function () {
  "use strict";
  function fmt(v) { return Number(v).toLocaleString("zh-CN", {maximumFractionDigits: 1}); }
  window.jingkaiCharts("sankey", function (d) {
    return {
      animation: false,
      title: {text: d.title, left: 0, textStyle: {fontSize: 15, fontWeight: "bold", color: "#1d2b3a"}},
      tooltip: {trigger: "item", formatter: function (p) {
        return p.dataType === "edge" ? p.data.source + " → " + p.data.target + "：" + fmt(p.data.value) + " 吨标准煤"
                                     : p.name;
      }},
      series: [{type: "sankey", top: 48, left: 8, right: 120, bottom: 8, nodeGap: 12, data: d.nodes, links: d.links,
                emphasis: {focus: "adjacency"}, lineStyle: {color: "gradient", curveness: 0.5},
                label: {formatter: "{b}"}}]
    };
  });
})();
