// 督导看板 — the plan dashboard's charts (ECharts). Data and labels come from json_script blocks.
// Tooltips are built as DOM text nodes, never as HTML strings: task and milestone titles come from users and
// imported documents (issue 14, finding 3).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var t = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var charts = {};

  function tip(lines) {
    var box = document.createElement("div");
    lines.forEach(function (line, index) {
      if (index) { box.appendChild(document.createElement("br")); }
      box.appendChild(document.createTextNode(String(line)));
    });
    return box;
  }
  function axisTip(params) {
    var list = Array.isArray(params) ? params : [params];
    var lines = [list.length ? list[0].axisValueLabel : ""];
    list.forEach(function (p) { lines.push(p.seriesName + t.colon + p.value); });
    return tip(lines);
  }
  function make(id, option) { var c = echarts.init(document.getElementById(id)); c.setOption(option); charts[id] = c; return c; }

  var pct = { type: "value", max: 100, axisLabel: { formatter: "{value}%" } };
  document.getElementById("chart-unit").style.height = Math.max(320, data.by_unit.length * 22 + 80) + "px";
  make("chart-unit", {
    tooltip: { trigger: "axis", formatter: axisTip }, grid: { left: 160, right: 30 },
    xAxis: pct, yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: data.by_unit.map(function (r) { return r.unit; }) },
    series: [{ type: "bar", name: t.rate, data: data.by_unit.map(function (r) { return r.rate; }) }]
  });
  make("chart-chapter", {
    tooltip: { trigger: "axis", formatter: axisTip }, grid: { left: 260, right: 30 },
    xAxis: pct, yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: data.by_chapter.map(function (r) { return r.chapter; }) },
    series: [{ type: "bar", name: t.rate, data: data.by_chapter.map(function (r) { return r.rate; }) }]
  });
  make("chart-node", {
    tooltip: { trigger: "axis", formatter: axisTip }, legend: {},
    xAxis: { type: "category", data: data.by_node.map(function (r) { return r.month; }) }, yAxis: { type: "value" },
    series: [
      { type: "bar", stack: "n", name: t.done, data: data.by_node.map(function (r) { return r.done; }), itemStyle: { color: "#1d7a3a" } },
      { type: "bar", stack: "n", name: t.overdue, data: data.by_node.map(function (r) { return r.overdue; }), itemStyle: { color: "#b42318" } },
      { type: "bar", stack: "n", name: t.pending, data: data.by_node.map(function (r) { return r.pending; }), itemStyle: { color: "#8aa4c8" } }
    ]
  });
  var colours = { done: "#1d7a3a", overdue: "#b42318", pending: "#8aa4c8" };
  var lanes = { done: t.done, overdue: t.overdue, pending: t.pending };
  make("chart-timeline", {
    tooltip: { formatter: function (p) { return tip([p.data.title, p.data.value[0]]); } },
    xAxis: { type: "time" }, yAxis: { type: "category", data: [lanes.done, lanes.overdue, lanes.pending] },
    series: [{ type: "scatter", symbolSize: 12, data: data.timeline.map(function (e) {
      return { value: [e.date, lanes[e.state]], title: e.title, itemStyle: { color: colours[e.state] } };
    }) }]
  });
  var mapEl = document.getElementById("chart-map");
  var mapColours = { color: ["#fdecea", "#f6c445", "#1d7a3a"] };
  var mapSeries = { type: "map", map: "henan", roam: false, layoutCenter: ["50%", "50%"], label: { show: true, fontSize: 10 } };
  // Fit the whole province in the box: the map's own extent as its bounding box, and a size (ECharts reads it
  // as the width) small enough that the height fits too, whatever the screen.
  function fitMap(geo) {
    var box = { w: 180, e: -180, n: -90, s: 90 };
    (function walk(a) {
      if (typeof a[0] === "number") { box.w = Math.min(box.w, a[0]); box.e = Math.max(box.e, a[0]); box.s = Math.min(box.s, a[1]); box.n = Math.max(box.n, a[1]); }
      else { a.forEach(walk); }
    })(geo.features.map(function (f) { return f.geometry.coordinates; }));
    var aspect = (box.e - box.w) * 0.75 / (box.n - box.s);
    mapSeries.boundingCoords = [[box.w, box.n], [box.e, box.s]];
    mapSeries.layoutSize = Math.floor(Math.min(mapEl.clientWidth * 0.94, mapEl.clientHeight * 0.9 * aspect));
  }
  function mapOption(mode) {
    if (mode === "score") {
      var rows = data.score_map.regions.map(function (r) { return { name: r.name, value: Number(r.value), total: r.value, grade: r.grade }; });
      var values = rows.map(function (r) { return r.value; });
      var low = Math.floor(Math.min.apply(null, values)), high = Math.ceil(Math.max.apply(null, values));
      if (high <= low) { high = low + 1; }
      return {
        tooltip: { formatter: function (p) { var d = p.data; return tip([p.name + t.colon + (d ? d.total + " · " + d.grade : "—")]); } },
        visualMap: { min: low, max: high, text: [String(high), String(low)], calculable: true, inRange: mapColours },
        series: [Object.assign({}, mapSeries, { data: rows })]
      };
    }
    return {
      tooltip: { formatter: function (p) { var d = p.data; return tip([p.name + t.colon + (d ? d.value + "%" + t.lparen + d.done + "/" + d.total + t.rparen : t.no_tasks)]); } },
      visualMap: { min: 0, max: 100, text: ["100%", "0%"], calculable: true, inRange: mapColours },
      series: [Object.assign({}, mapSeries, { data: data.map })]
    };
  }
  var progressLabel = mapEl.getAttribute("aria-label");
  function showMap(mode) {
    charts["chart-map"].setOption(mapOption(mode), true);
    mapEl.dataset.mode = mode;
    mapEl.setAttribute("aria-label", mode === "score" ? mapEl.dataset.scoreLabel : progressLabel);
    var source = document.getElementById("map-score-source");
    if (source) { source.hidden = mode !== "score"; }
    document.querySelectorAll("#map-modes button").forEach(function (b) {
      var on = b.dataset.mode === mode;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("primary", on);
    });
  }
  fetch(mapEl.dataset.geoUrl).then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("henan", geo);
    make("chart-map", mapOption("progress"));
    geo = echarts.getMap("henan").geoJSON;  // drawing it once decodes the npm file's packed coordinates
    fitMap(geo);
    charts["chart-map"].setOption(mapOption("progress"), true);
    window.addEventListener("resize", function () { fitMap(geo); showMap(mapEl.dataset.mode); });
    mapEl.dataset.mode = "progress";
    document.querySelectorAll("#map-modes button").forEach(function (b) {
      b.addEventListener("click", function () { showMap(b.dataset.mode); });
    });
    mapEl.dataset.ready = "1";
  });
  window.addEventListener("resize", function () { Object.values(charts).forEach(function (c) { c.resize(); }); });
  window.fazhiDashboard = { charts: charts, data: data, showMap: showMap };
})();
