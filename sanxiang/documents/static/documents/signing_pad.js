/* The signature pad page: draw with a finger or a mouse, undo, clear, and post the drawing as a PNG. */
(function () {
  "use strict";
  var form = document.getElementById("signature-form");
  var canvas = document.getElementById("signature-canvas");
  if (!form || !canvas) return;
  var input = form.querySelector("input[name=signature]");
  var warning = form.querySelector(".sign-empty");
  function warn(text) {
    warning.textContent = text;
    warning.hidden = !text;
  }
  if (typeof window.SignaturePad !== "function") {
    warn(form.dataset.noScriptMessage);
    return;
  }
  // The server takes at most 4096 pixels a side: keep the bitmap within it on wide, dense screens.
  var MAX_SIDE = 4096;
  var pad = new window.SignaturePad(canvas, {
    backgroundColor: "rgb(255, 255, 255)",
    penColor: "rgb(0, 0, 0)",
    minWidth: 1,
    maxWidth: 3.5
  });

  function resize() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    ratio = Math.min(ratio, MAX_SIDE / Math.max(canvas.offsetWidth, canvas.offsetHeight, 1));
    var strokes = pad.toData();
    canvas.width = Math.floor(canvas.offsetWidth * ratio);
    canvas.height = Math.floor(canvas.offsetHeight * ratio);
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(strokes);
  }
  window.addEventListener("resize", resize);
  resize();

  pad.addEventListener("beginStroke", function () { warn(""); });
  form.querySelector("[data-pad=clear]").addEventListener("click", function () {
    pad.clear();
    input.value = "";
  });
  form.querySelector("[data-pad=undo]").addEventListener("click", function () {
    var strokes = pad.toData();
    if (strokes.length) {
      strokes.pop();
      pad.fromData(strokes);
    }
  });
  form.addEventListener("submit", function (event) {
    if (pad.isEmpty()) {
      event.preventDefault();
      warn(form.dataset.emptyMessage);
      return;
    }
    input.value = pad.toDataURL("image/png");
    form.querySelector("button[type=submit]").disabled = true;
  });
})();
