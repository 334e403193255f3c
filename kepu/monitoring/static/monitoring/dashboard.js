// Monitoring dashboard charts. Every chart click opens the post list filtered to exactly
// what the clicked figure counts (the dashboard's filters plus the figure's own).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("monitoring-chart-data").textContent);
  function postsUrl(extra) {
    var params = new URLSearchParams(data.params);
    Object.keys(extra).forEach(function (k) { params.set(k, extra[k]); });
    return data.postsUrl + "?" + params.toString();
  }
  function chart(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var c = window.echarts.init(el);
    c.setOption(option);
    c.on("click", function (p) { window.location.href = postsUrl(onClick(p)); });
    el.dataset.ready = "1";
  }
  var sentiments = ["positive", "neutral", "negative"];
  chart("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { data: sentiments.map(function (s) { return data.labels[s]; }) },
    xAxis: { type: "category", data: data.trend.map(function (r) { return r.day; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: sentiments.map(function (s) {
      return { name: data.labels[s], type: "line", stack: "all", areaStyle: {}, symbolSize: 8,
        data: data.trend.map(function (r) { return r[s]; }) };
    })
  }, function (p) { return { day: p.name, sentiment: sentiments[p.seriesIndex] }; });
  chart("chart-channels", {
    tooltip: {}, series: [{ type: "pie", radius: "65%",
      data: data.channels.map(function (c) { return { name: c.label, value: c.count, kind: c.kind }; }) }]
  }, function (p) { return { kind: p.data.kind }; });
  chart("chart-sentiment", {
    tooltip: {}, series: [{ type: "pie", radius: ["35%", "65%"],
      data: data.sentiment.map(function (s) { return { name: s.label, value: s.count, key: s.sentiment }; }) }]
  }, function (p) { return { sentiment: p.data.key }; });
  chart("chart-domains", {
    tooltip: {}, xAxis: { type: "category", data: data.domains.map(function (d) { return d.label; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.domains.map(function (d) { return { value: d.count, key: d.domain }; }) }]
  }, function (p) { return { domain: p.data.key }; });
})();
