// Drafts of long forms (forms marked data-draft). What the user types is saved on the
// server as they type, so a timeout, a closed tab or a lost connection loses nothing;
// opening the form again restores it. Accepting the form drops the draft (the server
// does that on a successful submit marked _draft=1).
(function () {
  "use strict";
  var body = document.body;
  var urls = JSON.parse(body.dataset.draftUrls || "{}");
  var SKIP = {csrfmiddlewaretoken: true, _draft: true, password: true};
  var SAVE_AFTER = 800;

  function keyOf(form) {
    return new URL(form.getAttribute("action") || window.location.href, window.location.href).pathname;
  }

  function fields(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (SKIP[name] || typeof value !== "string") { return; }
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }

  function post(url, params, keepalive) {
    var bodyData = new URLSearchParams(params);
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive, body: bodyData,
      headers: {"X-CSRFToken": body.dataset.csrfToken, "X-Qamqor-Background": "1"}
    }).catch(function () { /* offline: the next change saves again */ });
  }

  function fill(form, data) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIP[element.name] || !(element.name in data)) { return; }
      var values = data[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.type === "file") {
        return;
      } else if (element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        element.value = values[0];
      }
    });
  }

  function showRestored(form, key) {
    var template = document.getElementById("draft-restored");
    if (!template) { return; }
    var note = template.content.firstElementChild.cloneNode(true);
    note.querySelector("[data-draft-discard]").addEventListener("click", function () {
      post(urls.discard, {key: key}).then(function () { window.location.reload(); });
    });
    form.parentNode.insertBefore(note, form);
  }

  function watch(form) {
    var key = keyOf(form);
    var timer = null;
    var dirty = false;
    var submitted = false;
    function save(keepalive) {
      window.clearTimeout(timer);
      if (!dirty || submitted) { return Promise.resolve(); }
      dirty = false;
      return post(urls.save, {key: key, data: JSON.stringify(fields(form))}, keepalive);
    }
    function changed() {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_AFTER);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      if (!form.querySelector("input[name=_draft]")) {
        var marker = document.createElement("input");
        marker.type = "hidden"; marker.name = "_draft"; marker.value = "1";
        form.appendChild(marker);
      }
      if (submitted || !dirty) { submitted = true; return; }
      // Save the last keystrokes first: if the session has run out, the sign-in page
      // comes back to this form and its draft; once accepted, the server drops it.
      event.preventDefault();
      var submitter = event.submitter;
      save(false).then(function () {
        submitted = true;
        if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
      });
    });
    document.addEventListener("qamqor:signing-out", function (event) {
      event.detail.waitFor.push(save(true));
    });
    window.addEventListener("pagehide", function () { save(true); });
    // A form sent back with errors already holds what was typed: keep it as it is.
    if (document.querySelector(".errors[role=alert]") || form.querySelector(".errorlist")) { return; }
    fetch(urls.load + "?key=" + encodeURIComponent(key), {
      credentials: "same-origin", headers: {"X-Qamqor-Background": "1"}
    }).then(function (response) { return response.ok ? response.json() : {data: null}; })
      .then(function (reply) {
        if (reply.data) { fill(form, reply.data); showRestored(form, key); }
      }).catch(function () { /* nothing to restore */ });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), watch);
})();
