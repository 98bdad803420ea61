// The read-along site's only script of its own: typeset math with the shared KaTeX, open or close all code cells, and
// fit charts to narrow screens.
(function () {
  function typeset() {
    // Markdig writes $...$ as <span class="math">\(...\)</span> and a $$ block as <div class="math">\[...\]</div>;
    // the site builder marks $$...$$ inside a paragraph with the class math-display.
    document.querySelectorAll('.math').forEach(function (el) {
      var tex = el.textContent.trim();
      var display = el.tagName === 'DIV' || el.classList.contains('math-display');
      if (/^\\[(\[]/.test(tex)) tex = tex.slice(2, -2);
      katex.render(tex, el, { displayMode: display, throwOnError: false });
    });
  }
  function codeToggle() {
    document.querySelectorAll('button.toggle-code').forEach(function (button) {
      button.addEventListener('click', function () {
        var cells = document.querySelectorAll('details.code');
        var open = button.dataset.open !== 'true';
        cells.forEach(function (d) { d.open = open; });
        button.dataset.open = open;
        button.textContent = open ? 'Hide all code' : 'Show all code';
      });
    });
  }

  // Charts fill their column (plotly autosizes and follows resizes). Below NARROW pixels a legend beside the plot and
  // a one-line title would squeeze the plot to nothing, so there the legend goes under the plot and titles wrap; the
  // notebook's own layout comes back when the column is wide again. Each figure says which fit it has (data-fit), so
  // the site check knows when a chart has settled.
  var NARROW = 560;
  var KEYS = ['title.text', 'title.font.size', 'title.x', 'title.xanchor', 'title.xref', 'title.y', 'title.yanchor',
    'title.yref', 'xaxis.title.text', 'yaxis.title.text',
    'margin.t', 'margin.b', 'margin.l', 'margin.r', 'legend.orientation', 'legend.x', 'legend.xanchor',
    'legend.y', 'legend.yanchor', 'legend.yref', 'xaxis.automargin', 'yaxis.automargin'];

  function get(layout, key) {
    var parts = key.split('.'), value = layout;
    for (var i = 0; i < parts.length && value != null; i++) {
      // A title may still be the bare string that XPlot wrote.
      value = typeof value === 'string' && parts[i] === 'text' ? value : value[parts[i]];
    }
    return value;
  }
  // Breaks text (which may hold <br>) into lines of at most perLine characters, at spaces.
  function wrap(text, perLine) {
    if (!text) return text;
    var lines = [];
    String(text).split(/<br\s*\/?>/i).forEach(function (part) {
      var line = '';
      part.split(/\s+/).forEach(function (word) {
        if (!word) return;
        if (line && (line + ' ' + word).replace(/<[^>]*>/g, '').length > perLine) { lines.push(line); line = word; }
        else line = line ? line + ' ' + word : word;
      });
      lines.push(line);
    });
    return lines.join('<br>');
  }
  function lines(text) { return text ? text.split('<br>').length : 0; }

  function narrowLayout(gd, wide, width, height) {
    var title = wrap(wide['title.text'], Math.floor((width - 16) / 8));
    var xTitle = wrap(wide['xaxis.title.text'], Math.floor((width - 60) / 7));
    var yTitle = wrap(wide['yaxis.title.text'], Math.floor((height - 140) / 7));
    var rows = 0;
    if (gd._fullLayout.showlegend) {
      // plotly gives every entry of a horizontal legend the widest one's width.
      var names = gd._fullData.filter(function (t) { return t.showlegend !== false && t.visible !== false; })
        .map(function (t) { return String(t.name || '').length; });
      var perRow = Math.max(1, Math.floor((width - 16) / (Math.max.apply(null, names.concat(0)) * 7 + 50)));
      rows = Math.ceil(names.length / perRow);
    }
    var total = height + 21 * rows + 17 * Math.max(0, lines(title) - 1);
    return {
      // The wrapped title from the top of the chart down (plotly anchors a multi-line title by its first line).
      'title.text': title, 'title.font.size': 14, 'title.x': 8 / width, 'title.xanchor': 'left',
      'title.xref': 'container',
      'title.y': 1 - 16 / total, 'title.yanchor': 'top', 'title.yref': 'container',
      'xaxis.title.text': xTitle, 'yaxis.title.text': yTitle,
      'margin.t': title ? 26 + 17 * lines(title) : 16, 'margin.b': 40 + 16 * lines(xTitle) + 21 * rows,
      'margin.l': 44 + 15 * Math.max(0, lines(yTitle) - 1), 'margin.r': 12,
      // The div's height, which plotly's autosize follows, not the layout's.
      'sodl.height': total,
      'legend.orientation': 'h', 'legend.x': 0, 'legend.xanchor': 'left', 'legend.y': 0, 'legend.yanchor': 'bottom',
      'legend.yref': 'container', 'xaxis.automargin': true, 'yaxis.automargin': true,
    };
  }

  function fit(figure) {
    var gd = figure.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || figure.dataset.fitting) return;
    var width = gd.clientWidth;
    var mode = width < NARROW ? 'narrow' : 'wide';
    if (figure.dataset.fit === mode) return;
    if (!gd.sodlWide) {
      gd.sodlWide = {};
      KEYS.forEach(function (k) { var v = get(gd.layout, k); gd.sodlWide[k] = v === undefined ? null : v; });
      gd.sodlHeight = gd.style.height;
    }
    figure.dataset.fitting = mode;
    var height = parseFloat(gd.sodlHeight) || gd._fullLayout.height;
    var update = mode === 'narrow' ? narrowLayout(gd, gd.sodlWide, width, height) : gd.sodlWide;
    gd.style.height = mode === 'narrow' ? update['sodl.height'] + 'px' : gd.sodlHeight;
    delete update['sodl.height'];
    Plotly.relayout(gd, update).then(function () {
      return Plotly.Plots.resize(gd); // to the column's width now, without waiting for plotly's own resize handler
    }).then(function () {
      delete figure.dataset.fitting;
      figure.dataset.fit = mode;
      fit(figure); // the column may have changed meanwhile
    });
  }
  function fitAll() { document.querySelectorAll('figure.sodl-chart').forEach(fit); }
  function fitCharts() {
    var tries = 0;
    (function untilDrawn() {
      fitAll();
      var pending = [].some.call(document.querySelectorAll('figure.sodl-chart'),
        function (f) { return !f.dataset.fit; });
      if (pending && tries++ < 600) setTimeout(untilDrawn, 100);
    })();
    var timer;
    window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(fitAll, 150); });
  }

  typeset();
  codeToggle();
  if (window.Plotly) fitCharts();
})();
