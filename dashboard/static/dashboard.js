// dondoc's dashboard: progressive enhancement of pages that work without it. The tables are
// plain HTML; this script adds the filters of the open findings (kept in the address, so a
// filtered view can be linked) and draws the charts from the numbers each page carries
// (Vega-Lite, from vega.js beside this file: nothing is fetched from elsewhere).
(function () {
  "use strict";

  // -- filters ------------------------------------------------------------------------------------
  function filters() {
    var form = document.querySelector("form.loc");
    if (!form) return;
    var table = document.getElementById(form.getAttribute("data-table"));
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector(".dem");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var given = params.get(s.name);
      if (given !== null && Array.prototype.some.call(s.options, function (o) { return o.value === given; })) s.value = given;
    });
    function apply(push) {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) { return !s.value || row.getAttribute("data-" + s.name) === s.value; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "Đang hiện " + shown + "/" + rows.length + " nội dung";
      if (push) {
        var query = new URLSearchParams();
        selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
        var text = query.toString();
        history.replaceState(null, "", window.location.pathname + (text ? "?" + text : "") + window.location.hash);
      }
    }
    selects.forEach(function (s) { s.addEventListener("change", function () { apply(true); }); });
    form.querySelector("button[type=reset]").addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply(true);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
    form.hidden = false;
    apply(false);
  }

  // -- charts -------------------------------------------------------------------------------------
  var VI = {
    number: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " đ"] },
    time: {
      dateTime: "%A, %d/%m/%Y %H:%M:%S", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["SA", "CH"],
      days: ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
      shortDays: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
      months: ["tháng 1", "tháng 2", "tháng 3", "tháng 4", "tháng 5", "tháng 6", "tháng 7", "tháng 8", "tháng 9", "tháng 10", "tháng 11", "tháng 12"],
      shortMonths: ["Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12"]
    }
  };
  var FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif";
  var CONFIG = { font: FONT, axis: { labelFontSize: 10, titleFontSize: 10 }, legend: { labelFontSize: 10, titleFontSize: 10 }, view: { stroke: null } };

  function unitsChart(d) {
    var scale = { domain: d.classes, range: d.colours };
    var cells = [];
    d.grid.forEach(function (row, u) {
      row.forEach(function (cell, n) {
        var parts = [];
        for (var i = 1; i < cell.length; i++) if (cell[i]) parts.push(d.classes[i - 1] + ": " + cell[i]);
        var day = d.nights[n];
        cells.push({ d: day, dmy: day.slice(8, 10) + "/" + day.slice(5, 7) + "/" + day.slice(0, 4), u: d.units[u],
                     w: d.classes[cell[0]], t: parts.join("; ") || "0" });
      });
    });
    return {
      width: "container", height: { step: 18 },
      data: { values: cells },
      mark: { type: "rect", stroke: "#fff", strokeWidth: 1 },
      encoding: {
        x: { field: "d", type: "ordinal", title: "Đêm kiểm tra", axis: { labelAngle: -60, labelExpr: "slice(datum.value, 8, 10) + '/' + slice(datum.value, 5, 7)" } },
        y: { field: "u", type: "nominal", title: null, sort: d.units, axis: { labelLimit: 420 } },  // a unit's whole name: none is cut
        color: { field: "w", type: "nominal", title: "Mức cao nhất", scale: scale, sort: d.classes },
        tooltip: [{ field: "u", title: "Đơn vị" }, { field: "dmy", title: "Ngày" }, { field: "t", title: "Phát hiện" }]
      }
    };
  }

  function targetChart(d) {
    var layers = [];
    // padded: the projection's diamond and interval at the period's last day are drawn whole
    var x = { field: "d", type: "temporal", title: null, scale: { padding: 12 }, axis: { format: "%d/%m", labelAngle: 0 } };
    var y = { field: "v", type: "quantitative", title: d.measure || null, scale: { zero: false, domain: d.domain } };
    layers.push({ data: { values: d.points }, mark: { type: "line", point: true, color: "#1565c0" }, encoding: { x: x, y: y,
      tooltip: [{ field: "dmy", title: "Số liệu" }, { field: "v", title: "Giá trị", format: ",.2~f" }] } });
    if (d.required !== null) {
      layers.push({ data: { values: [{ v: d.required, label: "Yêu cầu " + d.requiredText }] }, mark: { type: "rule", strokeDash: [5, 4], color: "#546e7a" },
        encoding: { y: { field: "v", type: "quantitative" }, tooltip: [{ field: "label", title: "Yêu cầu" }] } });
    }
    if (d.projection) {
      var p = d.projection;
      layers.push({ data: { values: [p.from, { d: p.end, v: p.value }] }, mark: { type: "line", strokeDash: [2, 3], color: d.atRisk ? "#e65100" : "#1565c0" }, encoding: { x: x, y: y } });
      layers.push({ data: { values: [{ d: p.end, lo: p.low, hi: p.high, v: p.value, text: p.text }] }, mark: { type: "rule", strokeWidth: 6, opacity: 0.35, color: d.atRisk ? "#e65100" : "#1565c0" },
        encoding: { x: x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, tooltip: [{ field: "text", title: "Dự báo" }] } });
      layers.push({ data: { values: [{ d: p.end, v: p.value, text: p.text }] }, mark: { type: "point", shape: "diamond", filled: true, size: 70, color: d.atRisk ? "#e65100" : "#1565c0" },
        encoding: { x: x, y: y, tooltip: [{ field: "text", title: "Dự báo" }] } });
    }
    return { width: "container", height: 150, layer: layers };
  }

  function rankChart(d) {
    var layers = [{
      data: { values: d.points },
      mark: { type: "point", filled: true, size: 45, opacity: 0.8 },
      encoding: {
        x: { field: "v", type: "quantitative", title: d.measure, scale: { zero: false, padding: 8 }, axis: { tickCount: 8 } },  // padded: no point on the axis
        y: { field: "o", type: "nominal", title: null, sort: ["thấp bất thường", "bình thường", "cao bất thường"], axis: { labelLimit: 140 } },
        color: { field: "o", type: "nominal", legend: null, scale: { domain: ["thấp bất thường", "bình thường", "cao bất thường"], range: ["#c62828", "#78909c", "#2e7d32"] } },
        tooltip: [{ field: "c", title: "Xã, phường" }, { field: "v", title: "Giá trị", format: ",.2~f" }, { field: "r", title: "Hạng" }]
      }
    }];
    if (d.median !== null) layers.push({ data: { values: [{ v: d.median }] }, mark: { type: "rule", color: "#263238" }, encoding: { x: { field: "v", type: "quantitative" } } });
    if (d.fences) layers.push({ data: { values: d.fences.map(function (f) { return { v: f }; }) }, mark: { type: "rule", strokeDash: [4, 3], color: "#90a4ae" }, encoding: { x: { field: "v", type: "quantitative" } } });
    return { width: "container", height: { step: 22 }, layer: layers };
  }

  var KINDS = { units: unitsChart, target: targetChart, rank: rankChart };

  function charts() {
    if (typeof window.vegaEmbed !== "function") return;
    var figures = document.querySelectorAll("figure[data-chart]");
    Array.prototype.forEach.call(figures, function (figure) {
      var data = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
      var spec = KINDS[figure.getAttribute("data-chart")](data);
      spec.$schema = "https://vega.github.io/schema/vega-lite/v6.json";  // a name, never fetched
      spec.config = CONFIG;
      spec.autosize = { type: "fit-x", contains: "padding" };
      var target = figure.querySelector(".ve");
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg", formatLocale: VI.number, timeFormatLocale: VI.time })
        .then(function () { figure.classList.add("drawn"); })
        .catch(function (e) { target.textContent = "Không vẽ được biểu đồ: " + e; });
    });
  }

  document.documentElement.classList.add("js");
  filters();
  charts();
})();
