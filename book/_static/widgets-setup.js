// Loaded just before RequireJS and the Jupyter widgets manager, on pages with saved widgets.
(function () {
  // The manager (embed-amd.js) defines its modules by name and finds its icon fonts next
  // to each module's URL, which RequireJS derives from the name: map every name to the
  // manager's own folder, _static/vendor/html-manager/dist/, so the fonts load from there.
  var dist = new URL("vendor/html-manager/dist/", document.currentScript.src).href;
  var paths = { "@jupyter-widgets/html-manager/dist": dist.slice(0, -1) };
  ["base", "base7", "controls", "controls7", "output", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist + name;
  });
  window.require = { paths: paths };  // read by require.js when it loads
  window.__jupyter_widgets_assets_path__ = dist;

  // Widgets typeset their labels with MathJax 2's API (MathJax.Hub.Queue); the book runs
  // MathJax 3. Labels are never maths in this book (a "$" is part of an artist's name),
  // so the call becomes a no-op instead of an error. MathJax replaces window.MathJax when
  // it loads (a deferred script), so add the stub once the document is parsed.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = { Queue: function () {} };
    }
  });

  // A slider's handle (role="slider", drawn by noUiSlider) gets no accessible name from
  // ipywidgets: a screen reader would say "slider, 2" with no word of what it sets. Name
  // it by its widget's description label ("window", "k"), as the widgets are drawn. The
  // description label also gets title="null" when the widget has no tooltip: drop it, or
  // hovering the label shows "null".
  var named = 0;
  function nameSliders() {
    var handles = document.querySelectorAll(
      ".widget-slider .noUi-handle[role=slider]:not([aria-labelledby]):not([aria-label])"
    );
    handles.forEach(function (handle) {
      var label = handle.closest(".widget-slider").querySelector(".widget-label");
      if (!label || !label.textContent.trim()) return;
      if (!label.id) label.id = "bands2vec-slider-label-" + ++named;
      handle.setAttribute("aria-labelledby", label.id);
      if (label.getAttribute("title") === "null") label.removeAttribute("title");
    });
  }
  new MutationObserver(function (records) {
    var drawn = records.some(function (record) {
      return [].some.call(record.addedNodes, function (node) {
        return node.nodeType === 1 && (node.matches(".noUi-handle") || node.querySelector(".noUi-handle"));
      });
    });
    if (drawn) nameSliders();
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
