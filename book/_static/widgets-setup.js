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
  //
  // What the handle announces is its aria-valuetext, which noUiSlider sets to the number
  // it moves: for a SelectionSlider that is the option's index (the window slider at 3
  // says "2"). Every handle announces instead what its readout shows ("3", "library
  // default (95% ...)"), kept in step as the slider moves: a handle's aria change, or a
  // readout's text change, sets it again.
  var named = 0;
  function nameSlider(slider) {
    var label = slider.querySelector(".widget-label");
    if (!label || !label.textContent.trim()) return;
    if (!label.id) label.id = "bands2vec-slider-label-" + ++named;
    slider.querySelectorAll(".noUi-handle[role=slider]").forEach(function (handle) {
      if (!handle.hasAttribute("aria-labelledby") && !handle.hasAttribute("aria-label")) {
        handle.setAttribute("aria-labelledby", label.id);
      }
    });
    if (label.getAttribute("title") === "null") label.removeAttribute("title");
  }
  function readoutText(slider) {
    var readout = slider.querySelector(".widget-readout");
    if (!readout || readout.style.display === "none") return "";
    return readout.textContent.replace(/\u00a0/g, " ").trim();
  }
  function voiceSlider(slider) {
    var text = readoutText(slider);
    if (!text) return;  // no readout on view: noUiSlider's own value stays
    slider.querySelectorAll(".noUi-handle[role=slider]").forEach(function (handle) {
      if (handle.getAttribute("aria-valuetext") !== text) handle.setAttribute("aria-valuetext", text);
    });
  }
  function sliderOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element && element.closest(".widget-slider");
  }
  function update(sliders) {
    sliders.forEach(function (slider) {
      nameSlider(slider);
      voiceSlider(slider);
    });
  }
  new MutationObserver(function (records) {
    var sliders = new Set();
    records.forEach(function (record) {
      var slider = sliderOf(record.target);
      if (slider) sliders.add(slider);
      [].forEach.call(record.addedNodes, function (node) {
        if (node.nodeType !== 1) return;
        if (node.matches(".widget-slider")) sliders.add(node);
        node.querySelectorAll(".widget-slider").forEach(function (s) { sliders.add(s); });
      });
    });
    update(sliders);
  }).observe(document.documentElement, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["aria-valuetext", "aria-valuenow", "style"],
  });
})();
