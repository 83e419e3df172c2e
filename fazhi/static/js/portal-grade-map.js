// 已公布的考核结果 — the map of city grades. Data from json_script "grade-data", labels from "grade-labels";
// tooltips are text nodes, never HTML built from data.
(function () {
  "use strict";
  var el = document.getElementById("grade-map");
  var data = JSON.parse(document.getElementById("grade-data").textContent);
  var t = JSON.parse(document.getElementById("grade-labels").textContent);
  var chart = echarts.init(el);
  function tip(text) { var box = document.createElement("div"); box.textContent = text; return box; }
  fetch(el.dataset.geoUrl).then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("henan", geo);
    chart.setOption({
      tooltip: { formatter: function (p) { return tip(p.name + t.colon + (p.data ? p.data.grade : "—")); } },
      visualMap: { type: "piecewise", left: 10, bottom: 10,
        pieces: [4, 3, 2, 1].map(function (v) { return { value: v, label: t.grades[v] }; }),
        inRange: { color: ["#b42318", "#f0c36d", "#9ccc9c", "#1d7a3a"] } },
      series: [{ type: "map", map: "henan", roam: false, label: { show: true, fontSize: 10 }, data: data }]
    });
    el.dataset.ready = "1";
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
