/**
 * The script of the HTML report and the dashboard page, inlined as text. It reads the chart
 * data from <script type="application/json" id="chart-data"> and draws each chart with uPlot
 * (bundled in the same page). In live mode (the page `perf-analyze serve` shows at /) it also
 * polls the dashboard API on the same origin: a rolling chart of the realtime sample, and a
 * reload when a newer saved report appears. No other network access.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var dataNode = document.getElementById('chart-data');
  var data = JSON.parse(dataNode ? dataNode.textContent : '{}');
  var drawn = window.__charts = {};
  function width(el) { return Math.max(320, Math.min(960, (el.parentNode && el.parentNode.clientWidth) || 900)); }
  function fmt(v, d) { return v == null ? '-' : Number(v).toFixed(d == null ? 1 : d); }
  function categoryAxis(names) {
    return {
      splits: function () { return names.map(function (_, i) { return i; }); },
      values: function (u, splits) { return splits.map(function (i) { return names[i] == null ? '' : names[i]; }); },
      rotate: -20, size: 80, gap: 4
    };
  }
  function note(el, text) { el.textContent = text; el.className += ' missing'; }

  function loadChart() {
    var el = document.getElementById('chart-load');
    if (!el) return;
    var load = data.load;
    if (!load) return note(el, 'No load test in this report (run with --load and an api.baseUrl).');
    var knee = load.knee;
    var opts = {
      title: 'Throughput and p95 latency against concurrent users',
      width: width(el), height: 320,
      scales: { x: { time: false }, rps: { auto: true }, ms: { auto: true } },
      series: [
        { label: 'users' },
        { label: 'throughput (req/s)', scale: 'rps', stroke: '#1f6feb', width: 2, value: function (u, v) { return fmt(v); } },
        { label: 'p95 (ms)', scale: 'ms', stroke: '#d1242f', width: 2, dash: [6, 3], value: function (u, v) { return fmt(v, 2); } }
      ],
      axes: [
        { label: 'concurrent users' },
        { scale: 'rps', label: 'requests/s' },
        { scale: 'ms', label: 'p95 ms', side: 1, grid: { show: false } }
      ],
      hooks: { draw: [function (u) {
        function vline(x, colour, text) {
          var px = Math.round(u.valToPos(x, 'x', true));
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = colour; ctx.lineWidth = 2 * devicePixelRatio; ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath(); ctx.moveTo(px, u.bbox.top); ctx.lineTo(px, u.bbox.top + u.bbox.height); ctx.stroke();
          ctx.fillStyle = colour; ctx.font = (12 * devicePixelRatio) + 'px sans-serif';
          ctx.fillText(text, px + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
          ctx.restore();
        }
        if (knee) vline(knee.concurrency, '#1a7f37', 'knee: ' + knee.concurrency + ' users');
        if (load.brokeAt) vline(load.brokeAt.concurrency, '#9a6700', 'broke: ' + load.brokeAt.reason);
      }] }
    };
    drawn.load = new uPlot(opts, [load.concurrency, load.throughputRps, load.p95Ms], el);
  }

  function endpointChart() {
    var el = document.getElementById('chart-endpoints');
    if (!el) return;
    var e = data.endpoints;
    if (!e) return note(el, 'No endpoint timings in this report (configure api.baseUrl).');
    var xs = e.names.map(function (_, i) { return i; });
    function dots(label, colour) {
      return { label: label, stroke: colour, fill: colour, width: 0, paths: function () { return null; }, points: { show: true, size: 9, fill: colour }, value: function (u, v) { return fmt(v, 3); } };
    }
    drawn.endpoints = new uPlot({
      title: 'Latency percentiles per endpoint (ms)',
      width: width(el), height: 320,
      scales: { x: { time: false, range: [-0.5, e.names.length - 0.5] }, y: { distr: 3 } },
      series: [{ label: 'endpoint', value: function (u, i) { return e.names[i] == null ? '-' : e.names[i]; } }, dots('p50', '#1a7f37'), dots('p95', '#9a6700'), dots('p99', '#d1242f')],
      axes: [categoryAxis(e.names), { label: 'ms (log scale)' }]
    }, [xs, e.p50Ms, e.p95Ms, e.p99Ms], el);
  }

  function resourceChart() {
    var el = document.getElementById('chart-resources');
    if (!el) return;
    var r = data.resources;
    if (!r) return note(el, 'No host metrics in this report.');
    var xs = r.labels.map(function (_, i) { return i; });
    drawn.resources = new uPlot({
      title: 'Resource use over the sampling window (%)',
      width: width(el), height: 280,
      scales: { x: { time: false, range: [-0.5, r.labels.length - 0.5] }, y: { range: [0, 100] } },
      series: [{ label: 'resource', value: function (u, i) { return r.labels[i] == null ? '-' : r.labels[i]; } },
        { label: 'used %', stroke: '#1f6feb', fill: 'rgba(31,111,235,0.35)', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false }, value: function (u, v) { return fmt(v); } }],
      axes: [categoryAxis(r.labels), { label: '%' }]
    }, [xs, r.percent], el);
  }

  function live() {
    var cfg = data.live;
    if (!cfg) return;
    var el = document.getElementById('chart-live');
    var status = document.getElementById('live-status');
    var t = [], cpu = [], mem = [], disk = [];
    var chart = null;
    var reportStartedAt = data.reportStartedAt;
    function pct(x) { return x == null ? null : x; }
    function tick() {
      fetch(cfg.api + '/metrics/realtime', { headers: cfg.token ? { Authorization: 'Bearer ' + cfg.token } : {} })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var host = s.host || {};
          t.push(Date.parse(s.timestamp) / 1000); cpu.push(pct(host.cpu_percent)); mem.push(pct(host.memory_percent)); disk.push(pct(host.disk_percent));
          if (t.length > cfg.points) { t.shift(); cpu.shift(); mem.shift(); disk.shift(); }
          if (!chart) {
            chart = drawn.live = new uPlot({
              title: 'Live host sample', width: width(el), height: 240,
              scales: { y: { range: [0, 100] } },
              series: [{}, { label: 'CPU %', stroke: '#d1242f' }, { label: 'memory %', stroke: '#1f6feb' }, { label: 'disk / %', stroke: '#8250df' }],
              axes: [{}, { label: '%' }]
            }, [t, cpu, mem, disk], el);
          } else chart.setData([t, cpu, mem, disk]);
          status.textContent = 'live: sampled ' + s.timestamp + (s.database ? '; database ' + (s.database.error ? 'unreachable' : s.database.connections.active + ' active connections') : '') + (s.cache ? '; cache ' + (s.cache.error ? 'unreachable' : s.cache.used_memory_bytes + ' bytes used') : '');
          return fetch(cfg.api + '/health-overview', { headers: cfg.token ? { Authorization: 'Bearer ' + cfg.token } : {} }).then(function (r) { return r.json(); });
        })
        .then(function (h) { if (h && h.report && h.report.started_at && h.report.started_at !== reportStartedAt) location.reload(); })
        .catch(function (err) { status.textContent = 'live: ' + err.message; });
    }
    tick();
    setInterval(tick, cfg.refreshSeconds * 1000);
  }

  loadChart(); endpointChart(); resourceChart(); live();
})();
`;
