// Bands2Vec book, on every page: keyboard access to what scrolls inside folded content.
(function () {
  // The theme (pydata-sphinx-theme) makes a code block or output that scrolls sideways a
  // tab stop (tabindex 0), so that the keyboard can scroll it, but it looks once, when the
  // page loads (and on resizing the window): a block inside a solution or hidden cell is
  // not laid out then, and stays out of reach once opened. Look again whenever one of them
  // changes size, as it does when it is shown.
  var SCROLLABLE = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, " +
    ".pst-scrollable-table-container";
  function scrolls(el) {
    return el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.ResizeObserver) return;
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var el = entry.target;
        if (el.offsetParent === null) return;  // hidden: the theme's own value stays
        var tabIndex = scrolls(el) ? 0 : -1;
        if (el.tabIndex !== tabIndex) el.tabIndex = tabIndex;
      });
    });
    document.querySelectorAll(SCROLLABLE).forEach(function (el) { observer.observe(el); });
  });
})();
