// The sweep report's behaviour: charts from SWEEP (written by SweepReport), a sortable, filterable table.
(function () {
  'use strict';
  const errors = [];
  window.addEventListener('error', e => { errors.push(String(e.message)); document.body.dataset.errors = errors.join(' | '); });
  const fmt = v => (typeof v === 'number' ? Number(v.toPrecision(6)).toLocaleString('en-US', {maximumFractionDigits: 6}) : v);
  const head = SWEEP.header;
  const params = SWEEP.paramColumns;
  const paramIdx = params.map(p => head.indexOf(p));

  document.getElementById('summary').textContent = SWEEP.family + ' — ' + SWEEP.description + '. ' +
      SWEEP.rows.toLocaleString('en-US') + ' rows (points × workloads), ' + SWEEP.frontRows.toLocaleString('en-US') +
      ' on the Pareto front' + (SWEEP.complete ? '.' : '; the table and scatter show ' +
      SWEEP.table.length.toLocaleString('en-US') + ' of them: an even sample and the whole front.');

  const describe = i => {
    const r = SWEEP.table[i];
    return 'point ' + r[0] + ' on ' + r[1] + '<br>' + params.map((p, k) => p + ' = ' + r[paramIdx[k]]).join('<br>');
  };

  // Pareto scatter: the (sampled) points of each workload, and each workload's front as a line (fronts
  // are per workload); hover shows a point's parameters
  const pareto = echarts.init(document.getElementById('pareto'));
  const workloads = [...new Set(SWEEP.scatter.map(s => SWEEP.table[s[2]][1]))];
  const palette = ['#5470c6', '#91cc75', '#fac858', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];
  const series = [];
  workloads.forEach((w, k) => {
    const mine = SWEEP.scatter.filter(s => SWEEP.table[s[2]][1] === w);
    const label = workloads.length > 1 ? ' (' + w + ')' : '';
    series.push({name: 'design points' + label, type: 'scatter', symbolSize: 6, data: mine,
                 itemStyle: {color: palette[k % palette.length], opacity: 0.75}});
    series.push({name: 'Pareto front' + label, type: 'line', symbol: 'diamond', symbolSize: 9,
                 data: mine.filter(s => s[3]).sort((a, b) => a[0] - b[0] || a[1] - b[1]),
                 itemStyle: {color: '#d62728'}, lineStyle: {color: '#d62728', type: k ? 'dashed' : 'solid'}});
  });
  pareto.setOption({
    animation: false,
    title: {text: SWEEP.pareto.title + (workloads.length > 1 ? ', per workload' : ''), left: 'center', textStyle: {fontSize: 14}},
    tooltip: {trigger: 'item', formatter: p => describe(p.data[2]) + '<br>cycles = ' + fmt(p.data[0]) + '<br>cost = ' + fmt(p.data[1])},
    legend: {top: 26, type: 'scroll'},
    grid: {left: 90, right: 40, top: 70, bottom: 60},
    xAxis: {type: 'log', name: SWEEP.pareto.x, nameLocation: 'middle', nameGap: 32},
    yAxis: {type: 'log', name: SWEEP.pareto.y, nameLocation: 'middle', nameGap: 64},
    series: series
  });

  // the family's line plots
  const lines = document.getElementById('lines');
  if (!SWEEP.lines.length) document.getElementById('lines-section').style.display = 'none';
  SWEEP.lines.forEach(lp => {
    const div = document.createElement('div');
    div.className = 'chart';
    lines.appendChild(div);
    echarts.init(div).setOption({
      animation: false,
      title: {text: lp.title, left: 'center', textStyle: {fontSize: 13}},
      tooltip: {trigger: 'axis', valueFormatter: fmt},
      legend: {top: 24, type: 'scroll'},
      grid: {left: 80, right: 30, top: 70, bottom: 55},
      xAxis: {type: 'category', data: lp.categories, name: lp.x, nameLocation: 'middle', nameGap: 30},
      yAxis: {type: 'value', name: lp.y, nameLocation: 'middle', nameGap: 58, scale: true},
      series: lp.series.map(s => ({name: s.name, type: 'line', data: s.data, symbolSize: 7, connectNulls: false}))
    });
  });

  // the items of the fastest point on the front
  if (SWEEP.items) {
    echarts.init(document.getElementById('items')).setOption({
      animation: false,
      title: {text: SWEEP.items.title, left: 'center', textStyle: {fontSize: 13}},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: fmt},
      legend: {top: 24, type: 'scroll'},
      grid: {left: 90, right: 30, top: 70, bottom: 110},
      xAxis: {type: 'category', data: SWEEP.items.categories, name: SWEEP.items.x, axisLabel: {rotate: 60}},
      yAxis: {type: 'value', name: SWEEP.items.y},
      series: SWEEP.items.series.map(s => ({name: s.name, type: 'bar', stack: 'all', data: s.data}))
    });
  } else {
    document.getElementById('items-section').style.display = 'none';
  }

  // the table: numbers sort as numbers; the filter takes text, or column=value, several separated by spaces
  const paretoCol = head.indexOf('pareto');
  const headRow = document.getElementById('head');
  const body = document.getElementById('rows');
  const numeric = head.map((h, c) => SWEEP.table.every(r => r[c] === '' || !isNaN(Number(r[c]))));
  let order = SWEEP.table.map((r, i) => i);
  let sortCol = -1, sortDir = 1;
  head.forEach((h, c) => {
    const th = document.createElement('th');
    th.textContent = h;
    th.title = 'sort by ' + h;
    th.addEventListener('click', () => {
      sortDir = sortCol === c ? -sortDir : 1;
      sortCol = c;
      headRow.querySelectorAll('th').forEach(t => t.classList.remove('sorted-asc', 'sorted-desc'));
      th.classList.add(sortDir > 0 ? 'sorted-asc' : 'sorted-desc');
      const key = numeric[c] ? (i => Number(SWEEP.table[i][c])) : (i => SWEEP.table[i][c]);
      order.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : a - b) * sortDir; });
      render();
    });
    headRow.appendChild(th);
  });
  const esc = s => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  function matches(r) {
    if (document.getElementById('front-only').checked && r[paretoCol] !== 'yes') return false;
    const terms = document.getElementById('filter').value.trim().toLowerCase().split(/\s+/).filter(t => t);
    return terms.every(t => {
      const eq = t.indexOf('=');
      if (eq > 0) {
        const c = head.findIndex(h => h.toLowerCase() === t.slice(0, eq));
        if (c >= 0) return String(r[c]).toLowerCase() === t.slice(eq + 1);
      }
      return r.some(v => String(v).toLowerCase().includes(t));
    });
  }
  function render() {
    const html = [];
    let n = 0;
    for (const i of order) {
      const r = SWEEP.table[i];
      if (!matches(r)) continue;
      n++;
      html.push('<tr' + (r[paretoCol] === 'yes' ? ' class="front"' : '') + '><td>' + r.map(esc).join('</td><td>') + '</td></tr>');
    }
    body.innerHTML = html.join('');
    document.getElementById('shown').textContent = n.toLocaleString('en-US') + ' of ' + SWEEP.table.length.toLocaleString('en-US') + ' rows shown';
  }
  document.getElementById('filter').addEventListener('input', render);
  document.getElementById('front-only').addEventListener('change', render);
  render();
  window.addEventListener('resize', () => document.querySelectorAll('.chart').forEach(d => { const c = echarts.getInstanceByDom(d); if (c) c.resize(); }));
  document.body.dataset.rendered = errors.length ? 'with-errors' : 'yes';
})();
