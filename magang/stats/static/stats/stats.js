// Charts (Chart.js, served locally) and maps (GeoJSON from static/vendor/boundaries drawn
// as SVG) for the statistics pages. Everything drawn here is also in a table on the page:
// without JavaScript the tables are the page. Only published figures reach this script;
// a suppressed count arrives as null and is drawn as "fewer than N", never as a size.
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var COLOURS = ["#eef3f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

  function show(el) { el.hidden = false; }

  function outcomesChart() {
    var canvas = document.getElementById("outcomes-chart");
    if (!canvas || !window.Chart || !data.outcomes) { return; }
    var palette = { completed: "#3182bd", early_return: "#e6550d", missing: "#756bb1", in_japan: "#9ecae1" };
    show(canvas.parentElement);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.outcomes.years,
        datasets: data.outcomes.series.map(function (s) {
          return { label: s.label, data: s.values, backgroundColor: palette[s.key] };
        })
      },
      options: {
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          var v = ctx.raw === null ? data.labels.suppressed : ctx.raw.toLocaleString();
          return ctx.dataset.label + ": " + v;
        } } } }
      }
    });
  }

  function tradesChart() {
    var canvas = document.getElementById("trades-chart");
    if (!canvas || !window.Chart || !data.trades) { return; }
    // The 20 largest published trades; the table lists all of them, suppressed ones too.
    var shown = data.trades.filter(function (t) { return t.departed !== null; })
      .sort(function (a, b) { return b.departed - a.departed; }).slice(0, 20);
    if (!shown.length) { return; }
    show(canvas.parentElement);
    canvas.parentElement.style.height = (80 + shown.length * 22) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: shown.map(function (t) { return t.label.length > 48 ? t.label.slice(0, 47) + "…" : t.label; }),
        datasets: [{ label: data.labels.departed, data: shown.map(function (t) { return t.departed; }), backgroundColor: "#3182bd" }]
      },
      options: { animation: false, indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } } }
    });
  }

  function classes(values) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var breaks = [];
    for (var i = 1; i < 5; i++) { breaks.push(sorted[Math.floor(sorted.length * i / 5)] || sorted[sorted.length - 1]); }
    return breaks;
  }

  function colourFor(value, breaks) {
    if (value === undefined) { return "#f4f5f7"; }
    if (value === null) { return "url(#suppressed)"; }
    if (value === 0) { return COLOURS[0]; }
    var k = 1;
    for (var i = 0; i < breaks.length; i++) { if (value >= breaks[i]) { k = i + 2; } }
    return COLOURS[Math.min(k, COLOURS.length - 1)];
  }

  function drawMap(figure) {
    var key = figure.getAttribute("data-map");
    var figures = data[key] || {};
    var svgNS = "http://www.w3.org/2000/svg";
    fetch(figure.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (geo) {
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      geo.features.forEach(function (f) {
        f.geometry.coordinates.forEach(function (poly) { poly[0].forEach(function (p) {
          minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
          minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
        }); });
      });
      var k = Math.cos((minY + maxY) / 2 * Math.PI / 180);
      var width = 800, scale = width / ((maxX - minX) * k), height = Math.ceil((maxY - minY) * scale);
      function xy(p) { return ((p[0] - minX) * k * scale).toFixed(1) + "," + ((maxY - p[1]) * scale).toFixed(1); }
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      svg.setAttribute("class", "map-svg");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", figure.querySelector("figcaption").textContent);
      svg.innerHTML = '<defs><pattern id="suppressed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef3f8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a94a3" stroke-width="2"/></pattern></defs>';
      var values = Object.keys(figures).map(function (c) { return figures[c].value; });
      var breaks = classes(values);
      geo.features.forEach(function (f) {
        var codes = (data.areas && key === "provinces" && data.areas[f.properties.code]) || [f.properties.code];
        var parts = codes.filter(function (c) { return figures[c]; }).map(function (c) { return figures[c]; });
        var value;
        if (parts.length) {
          // A shape that stands for several provinces shows the sum of the published
          // counts, and is hatched if any part was suppressed.
          value = parts.some(function (p) { return p.value === null; }) ? null
            : parts.reduce(function (s, p) { return s + p.value; }, 0);
        }
        var path = document.createElementNS(svgNS, "path");
        path.setAttribute("d", f.geometry.coordinates.map(function (poly) {
          return poly.map(function (ring) { return "M" + ring.map(xy).join("L") + "Z"; }).join("");
        }).join(""));
        path.setAttribute("fill", colourFor(value, breaks));
        path.setAttribute("stroke", "#b8c0cc");
        path.setAttribute("stroke-width", "0.6");
        var title = document.createElementNS(svgNS, "title");
        title.textContent = parts.length ? parts.map(function (p) {
          return p.name + ": " + data.labels.in_japan + " " + p.in_japan + ", " + data.labels.departed + " " + p.departed;
        }).join("\n") : f.properties.name + ": " + data.labels.none;
        path.appendChild(title);
        svg.appendChild(path);
      });
      figure.insertBefore(svg, figure.firstChild);
      show(figure);
    }).catch(function () { /* the table below says it all */ });
  }

  outcomesChart();
  tradesChart();
  Array.prototype.forEach.call(document.querySelectorAll("figure.map[data-map]"), drawMap);
})();
