/* A pool member's trajectory (成长轨迹): a small line chart of the figures the page carries in #trajectory-data
   (json_script): revenue on the left axis, the R&D ratio and the S&T staff on the right. Every text comes from the
   page, already translated. */
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("trajectory-chart");
    var source = document.getElementById("trajectory-data");
    if (!holder || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.years },
      yAxis: [
        { type: "value", name: data.axes[0] },
        { type: "value", name: data.axes[1], splitLine: { show: false } }
      ],
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", yAxisIndex: s.axis, data: s.data, connectNulls: false };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
