// The network view: the graph's JSON (nodes and edges, as GET /api/v1/network/ answers)
// drawn as an ECharts force graph. A click on a node opens its record; the toolbox saves
// the picture. Without ECharts the tables under it remain.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.querySelector("[data-network]");
  if (!element || !window.echarts) return;
  var data = JSON.parse(document.getElementById(element.dataset.network).textContent);
  var kinds = [
    { key: "person", name: "人员", symbol: "circle", color: "#5470c6" },
    { key: "cadre", name: "在任村干部", symbol: "circle", color: "#ee6666" },
    { key: "case", name: "案件", symbol: "rect", color: "#3a3a3a" },
    { key: "clue", name: "线索", symbol: "diamond", color: "#fac858" },
    { key: "post", name: "村干部任职", symbol: "triangle", color: "#91cc75" },
  ];
  var index = {};
  kinds.forEach(function (k, n) { index[k.key] = n; });
  var starts = {};
  data.start.forEach(function (key) { starts[key] = true; });
  var nodes = data.nodes.map(function (n) {
    var kind = n.cadre ? kinds[index.cadre] : kinds[index[n.kind]];
    return {
      id: n.id,
      name: n.label,
      url: n.url,
      detail: n.detail,
      category: index[kind.key],
      symbol: kind.symbol,
      symbolSize: starts[n.id] ? 34 : (n.kind === "person" ? 22 : 18),
      itemStyle: n.highlighted ? { borderColor: "#d00", borderWidth: 3 } : {},
      label: { show: true, position: "right", fontWeight: starts[n.id] || n.highlighted ? "bold" : "normal" },
    };
  });
  var links = data.edges.map(function (e) {
    return {
      source: e.source,
      target: e.target,
      value: e.label,
      lineStyle: e.highlighted ? { color: "#d00", width: 3 } : { color: "#999", width: 1 },
      label: { show: data.edges.length <= 60, formatter: e.kind_label, fontSize: 10 },
    };
  });
  element.hidden = false;
  var chart = window.echarts.init(element);
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        return p.dataType === "edge" ? p.data.value : p.data.name + "<br>" + p.data.detail;
      },
    },
    legend: [{ data: kinds.map(function (k) { return k.name; }) }],
    toolbox: { feature: { saveAsImage: { name: "关系网络", title: "保存为图片", pixelRatio: 2 }, restore: { title: "还原" } } },
    series: [{
      type: "graph",
      layout: "force",
      roam: true,
      draggable: true,
      categories: kinds.map(function (k) { return { name: k.name, itemStyle: { color: k.color } }; }),
      data: nodes,
      links: links,
      force: { repulsion: 260, edgeLength: [60, 140] },
      emphasis: { focus: "adjacency" },
      edgeSymbol: ["none", "none"],
    }],
  });
  chart.on("dblclick", function (p) {
    if (p.dataType === "node" && p.data.url) window.location.href = p.data.url;
  });
  window.addEventListener("resize", function () { chart.resize(); });
  element.dataset.rendered = "true";
});
