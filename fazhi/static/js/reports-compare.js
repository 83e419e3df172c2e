// 年度报告数据对比 — the comparison chart. Data from the json_script block "compare-data".
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  if (!window.echarts) { return; }
  var chart = echarts.init(document.getElementById("compare-chart"));
  chart.setOption({tooltip: {trigger: "axis"}, legend: {}, xAxis: {type: "category", data: data.units, axisLabel: {rotate: 30}},
                   yAxis: {type: "value"}, series: data.series});
})();
