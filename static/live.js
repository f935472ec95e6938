/* Live games, comfort only (every page works without it, reloading itself through a
   <noscript> meta refresh): poll the status URL once a second with If-None-Match and reload
   when the game moved on; count the question's time down; keyboard control on the projector. */
(function () {
  "use strict";
  var body = document.body;
  var statusUrl = body.getAttribute("data-status");
  var watch = body.getAttribute("data-watch");
  var etag = null;
  var reloading = false;

  function reload() {
    if (!reloading) { reloading = true; window.location.reload(); }
  }

  function changed(data) {
    if (watch === "all") { return String(data.version) !== body.getAttribute("data-version"); }
    return data.state !== body.getAttribute("data-state") ||
      String(data.current) !== body.getAttribute("data-current");
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(statusUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(function (data) { if (changed(data)) { reload(); } });
        }
        return null;
      })
      .catch(function () { /* a dropped connection: the next poll tries again */ })
      .then(function () { if (!reloading) { window.setTimeout(poll, 1000); } });
  }

  if (statusUrl && watch) { window.setTimeout(poll, 1000); }

  var clock = document.querySelector("[data-countdown]");
  var left = body.getAttribute("data-seconds-left");
  if (clock && left !== null) {
    var end = Date.now() + Number(left) * 1000;
    var timer = window.setInterval(function () {
      var now = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      clock.textContent = String(now);
      if (now === 0) { window.clearInterval(timer); window.setTimeout(reload, 1200); }
    }, 250);
  }

  if (body.classList.contains("live-screen")) {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
      var key = null;
      if (event.key === " " || event.key === "ArrowRight") { key = "next"; }
      else if (event.key === "p" || event.key === "P") { key = "pause"; }
      else if (event.key === "e" || event.key === "E") { key = "end"; }
      var button = key && document.querySelector("button[data-key='" + key + "']");
      if (button) { event.preventDefault(); button.click(); }
    });
  }
}());
