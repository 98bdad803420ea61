// The read-along site's only script of its own: typeset math with the shared KaTeX, and open or close all code cells.
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
  typeset();
  codeToggle();
})();
