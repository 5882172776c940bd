/* The leaders' cockpit (领导驾驶舱): draws the charts whose data the page carries in #cockpit-data (json_script),
   sends a click on a bar or a point to the records behind it, and applies the selectors as soon as one changes.
   Every text shown comes from the page (already translated and rounded by the server). */
(function () {
  "use strict";

  var STYLE = {
    light: { font: 12, label: 11, labelWidth: 150, line: "#c92a2a", split: "#e9ecef", theme: null },
    dark: { font: 15, label: 14, labelWidth: 170, line: "#ff8787", split: "rgba(143,193,255,.15)", theme: "dark" }
  };

  function esc(text) {
    return window.echarts.format.encodeHTML(text == null ? "" : String(text));
  }

  function item(spec) {
    if (spec == null) return "-";
    var data = { value: spec.value == null ? "-" : spec.value, text: spec.text, url: spec.url };
    if (spec.color) data.itemStyle = { color: spec.color };
    return data;
  }

  function tooltip(params) {
    var text = params.data && params.data.text ? params.data.text : "—";
    return esc(params.name) + "<br>" + esc(params.seriesName) + " " + esc(text);
  }

  function valueLabel(params) {
    return params.data && params.data.text ? params.data.text : "";
  }

  function targetLine(spec, style, axis) {
    if (!spec.line) return undefined;
    var point = {};
    point[axis] = spec.line.value;
    return {
      symbol: "none",
      silent: true,
      lineStyle: { type: "dashed", color: style.line, width: 1.5 },
      // On the bars' inverted category axis a vertical line starts at the top, where its label belongs.
      label: { formatter: spec.line.text, color: style.line, position: axis === "xAxis" ? "start" : "insideEndTop" },
      data: [point]
    };
  }

  function reach(spec) {
    // The axis must reach the target line, which ECharts does not take into account by itself.
    if (!spec.line) return null;
    return function (extent) {
      return spec.line.value > extent.max ? spec.line.value : null;
    };
  }

  // Horizontal bars, one per indicator (图1/图2 completion, 图3 increase multiple).
  function bars(spec, style) {
    return {
      backgroundColor: "transparent",
      textStyle: { fontSize: style.font },
      grid: { left: 8, right: 64, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltip },
      xAxis: { type: "value", name: spec.axis, max: reach(spec), splitLine: { lineStyle: { color: style.split } } },
      yAxis: {
        type: "category",
        inverse: true,
        data: spec.categories,
        axisLabel: { fontSize: style.label, width: style.labelWidth, overflow: "truncate", interval: 0 }
      },
      series: [{
        type: "bar",
        name: spec.series,
        data: spec.items.map(item),
        barMaxWidth: 18,
        label: { show: true, position: "right", fontSize: style.label, formatter: valueLabel },
        markLine: targetLine(spec, style, "xAxis")
      }]
    };
  }

  // Vertical bars, one per subordinate region, in rank order.
  function columns(spec, style) {
    return {
      backgroundColor: "transparent",
      textStyle: { fontSize: style.font },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltip },
      xAxis: {
        type: "category",
        data: spec.categories,
        axisLabel: { fontSize: style.label, interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 }
      },
      yAxis: { type: "value", name: spec.axis, splitLine: { lineStyle: { color: style.split } } },
      series: [{
        type: "bar",
        name: spec.series,
        data: spec.items.map(item),
        barMaxWidth: 36,
        label: { show: true, position: "top", fontSize: style.label, formatter: valueLabel }
      }]
    };
  }

  // One indicator by year: the actual values, the planned path (dashed) and the target line.
  function trend(spec, style) {
    return {
      backgroundColor: "transparent",
      textStyle: { fontSize: style.font },
      legend: { top: 0, textStyle: { fontSize: style.label } },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltip },
      xAxis: { type: "category", data: spec.categories, boundaryGap: false },
      yAxis: { type: "value", name: spec.axis, max: reach(spec), splitLine: { lineStyle: { color: style.split } } },
      series: spec.series.map(function (series, index) {
        return {
          type: "line",
          name: series.name,
          data: series.items.map(item),
          symbolSize: series.dashed ? 4 : 9,
          lineStyle: { type: series.dashed ? "dashed" : "solid", width: series.dashed ? 1.5 : 3 },
          markLine: index === 0 ? targetLine(spec, style, "yAxis") : undefined
        };
      })
    };
  }

  var BUILDERS = { bars: bars, columns: columns, trend: trend };

  function draw() {
    var node = document.getElementById("cockpit-data");
    if (!node || !window.echarts) return;
    var data = JSON.parse(node.textContent);
    var style = STYLE[data.theme] || STYLE.light;
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var spec = data.charts[element.getAttribute("data-chart")];
      if (!spec || !BUILDERS[spec.type]) return;
      var chart = window.echarts.init(element, style.theme, { renderer: "canvas" });
      chart.setOption(BUILDERS[spec.type](spec, style));
      chart.on("click", function (params) {
        if (params.data && params.data.url) window.location.assign(params.data.url);
      });
      // Marks the chart as drawn once its opening animation has ended (screenshots and browser tests wait for it).
      chart.on("finished", function () { element.setAttribute("data-drawn", "true"); });
      drawn.push(chart);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (chart) { chart.resize(); });
    });
  }

  // A change of plan starts afresh (its regions and indicators differ); any other change keeps the rest.
  function selectors() {
    document.querySelectorAll("[data-cockpit-filters]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (event.target.hasAttribute("data-resets")) {
          form.querySelectorAll("select").forEach(function (select) {
            if (select !== event.target) select.disabled = true;
          });
        }
        form.submit();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    selectors();
    draw();
  });
})();
