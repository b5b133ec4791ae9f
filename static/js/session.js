// Idle sign-out with a warning first. The server signs a user out after
// IDLE_TIMEOUT_SECONDS without activity; this script warns IDLE_WARNING_SECONDS before,
// keeps the session alive while the user types, and goes to the sign-in page (which
// returns here) when the time is up. Tabs share one clock through localStorage.
(function () {
  "use strict";
  var body = document.body;
  var timeout = Number(body.dataset.idleTimeout) * 1000;
  var warning = Number(body.dataset.idleWarning) * 1000;
  var dialog = document.getElementById("idle-warning");
  if (!timeout || !dialog) { return; }
  var STORAGE_KEY = "qamqor:last-activity";
  var PING_EVERY = 60 * 1000;
  var lastActivity = Date.now();
  var lastPing = Date.now();
  var countdown = dialog.querySelector("[data-idle-countdown]");

  function share(moment) {
    try { localStorage.setItem(STORAGE_KEY, String(moment)); } catch (e) { /* private mode */ }
  }

  function ping() {
    lastPing = Date.now();
    return fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": body.dataset.csrfToken, "X-Requested-With": "fetch"}
    }).then(function (response) {
      if (response.status === 401 || response.redirected) { signOut(); }
    }).catch(function () { /* offline: the next ping or request tells */ });
  }

  function active(pingNow) {
    lastActivity = Date.now();
    share(lastActivity);
    if (dialog.open) { dialog.close(); }
    if (pingNow || Date.now() - lastPing > PING_EVERY) { ping(); }
  }

  var signingOut = false;
  function signOut() {
    if (signingOut) { return; }
    signingOut = true;
    // Drafts still on their way are saved before the session ends (for 2 s at most).
    var pending = [];
    document.dispatchEvent(new CustomEvent("qamqor:signing-out", {detail: {waitFor: pending}}));
    // A real sign-out (POST), not just a trip to the sign-in page: the session ends now.
    var form = document.createElement("form");
    form.method = "post";
    form.action = body.dataset.signOutUrl;
    [["csrfmiddlewaretoken", body.dataset.csrfToken],
     ["next", window.location.pathname + window.location.search]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    var late = new Promise(function (resolve) { window.setTimeout(resolve, 2000); });
    Promise.race([Promise.all(pending), late]).then(function () { form.submit(); });
  }

  function tick() {
    var left = lastActivity + timeout - Date.now();
    if (left <= 0) { signOut(); return; }
    if (left <= warning) {
      if (!dialog.open) { dialog.showModal(); }
      var seconds = Math.ceil(left / 1000);
      countdown.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
  }

  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (!dialog.contains(event.target)) { active(false); }
    }, {passive: true});
  });
  document.body.addEventListener("htmx:afterRequest", function () {
    lastActivity = Date.now(); lastPing = Date.now(); share(lastActivity);
  });
  dialog.querySelector("[data-idle-stay]").addEventListener("click", function () { active(true); });
  dialog.addEventListener("cancel", function () { active(true); });
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY && Number(event.newValue) > lastActivity) {
      lastActivity = Number(event.newValue);
      if (dialog.open) { dialog.close(); }
    }
  });
  share(lastActivity);
  window.setInterval(tick, 1000);
})();
