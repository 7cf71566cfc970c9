// Resumable evidence upload: POST opens an upload, PATCH sends chunks at the server's offset, GET asks for the
// offset after a dropped connection. An upload's id is remembered per file (name, size, modified time) so
// choosing the same file again after closing the page continues it.
(function () {
  "use strict";
  var panel = document.getElementById("evidence-upload");
  if (!panel) { return; }
  var CHUNK = parseInt(panel.dataset.chunk, 10) || 8 * 1024 * 1024;
  var text = document.getElementById("evidence-messages").dataset;
  var csrf = panel.querySelector("[name=csrfmiddlewaretoken]").value;
  var table = document.getElementById("evidence-progress");
  var body = table.querySelector("tbody");

  function storageKey(file) {
    return "evidence-upload:" + panel.dataset.case + ":" + file.name + ":" + file.size + ":" + file.lastModified;
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function request(method, url, data, headers) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      xhr.onload = function () {
        var json = {};
        try { json = JSON.parse(xhr.responseText || "{}"); } catch (e) { json = {}; }
        resolve({ status: xhr.status, json: json });
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.upload.onprogress = request.onprogress || null;
      xhr.send(data);
    });
  }

  function formatTime(seconds) {
    if (!isFinite(seconds)) { return "—"; }
    var s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ":" : "") + String(m).padStart(h ? 2 : 1, "0") + ":" + String(s % 60).padStart(2, "0");
  }

  function row(file) {
    var tr = document.createElement("tr");
    ["name", "bar", "speed", "left", "status"].forEach(function () { tr.appendChild(document.createElement("td")); });
    tr.cells[0].textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = file.size; bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    tr.cells[1].appendChild(bar);
    tr.cells[4].textContent = text.waiting;
    body.appendChild(tr);
    return { tr: tr, bar: bar };
  }

  async function open(file, proves) {
    var key = storageKey(file), known = localStorage.getItem(key);
    if (known) {
      var state = await request("GET", known);
      if (state.status === 200 && !state.json.complete) { return state.json; }
      localStorage.removeItem(key);
    }
    var form = new FormData();
    form.append("name", file.name);
    form.append("size", file.size);
    form.append("last_modified", file.lastModified);
    form.append("proves", proves);
    var opened = await request("POST", panel.dataset.startUrl, form);
    if (opened.status !== 201) { throw new Error(opened.json.error || text.failed); }
    localStorage.setItem(key, opened.json.url);
    return opened.json;
  }

  async function send(file, view, proves) {
    var upload = await open(file, proves), offset = upload.offset, failures = 0;
    var started = Date.now(), startOffset = offset;
    view.tr.cells[4].textContent = text.uploading;
    while (offset < file.size) {
      var end = Math.min(offset + CHUNK, file.size), base = offset;
      request.onprogress = function (event) {
        var done = base + event.loaded, seconds = (Date.now() - started) / 1000;
        var speed = (done - startOffset) / Math.max(seconds, 0.001);
        view.bar.value = done;
        view.tr.cells[2].textContent = (speed / 1048576).toFixed(1) + " MB/s";
        view.tr.cells[3].textContent = formatTime((file.size - done) / speed);
      };
      try {
        var answer = await request("PATCH", upload.url, file.slice(offset, end),
          { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" });
        if (answer.status === 200 || answer.status === 409) {
          offset = answer.json.offset; failures = 0;
          if (answer.json.complete) { break; }
          continue;
        }
        throw new Error(answer.json.error || text.failed);
      } catch (error) {
        if (error.message !== "network" || failures >= 30) { throw error; }
        failures += 1;
        view.tr.cells[4].textContent = text.retrying;
        await sleep(Math.min(1000 * failures, 10000));
        var state = await request("GET", upload.url).catch(function () { return null; });
        if (state && state.status === 200) { offset = state.json.offset; }
        view.tr.cells[4].textContent = text.uploading;
      }
    }
    request.onprogress = null;
    view.bar.value = file.size;
    view.tr.cells[3].textContent = formatTime(0);
    view.tr.cells[4].textContent = text.done;
    localStorage.removeItem(storageKey(file));
  }

  document.getElementById("evidence-start").addEventListener("click", async function () {
    var files = Array.prototype.slice.call(document.getElementById("evidence-files").files);
    var proves = document.getElementById("evidence-proves").value;
    if (!files.length) { return; }
    table.hidden = false;
    var views = files.map(row), ok = true;
    for (var i = 0; i < files.length; i += 1) {
      try { await send(files[i], views[i], proves); } catch (error) {
        ok = false;
        views[i].tr.cells[4].textContent = text.failed + "：" + error.message;
      }
    }
    if (ok) {
      var note = document.createElement("p");
      note.className = "msg success"; note.setAttribute("role", "status"); note.textContent = text.reload;
      table.after(note);
    }
  });
})();
