// Dashboard charts: each chart's option is a JSON script next to it; a click on a bar
// or point opens the records behind that figure. Without ECharts the tables remain.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var option = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    element.hidden = false;
    var chart = window.echarts.init(element);
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "true";
  });
});
