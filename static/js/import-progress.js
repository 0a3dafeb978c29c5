// The import run page follows its file: it asks for the progress every second, shows it, and
// loads the page again once the state changes (the preview, or what became of the import).
// The admin's Content-Security-Policy allows scripts from the site only: this file, no inline code.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section) return;
  var url = section.getAttribute("data-progress-url");
  var state = section.getAttribute("data-state");
  var text = section.querySelector(".import-progress-text");
  var bar = section.querySelector("progress");
  var delay = 1000;

  function show(progress) {
    if (progress.state !== state || !progress.active) {
      window.location.reload();
      return false;
    }
    if (text.textContent !== progress.text) text.textContent = progress.text;
    if (progress.total) {
      if (!bar) {
        bar = document.createElement("progress");
        section.insertBefore(bar, text.nextSibling);
      }
      bar.max = progress.total;
      bar.value = progress.rows;
      bar.textContent = progress.text;
    }
    return true;
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (progress) {
        delay = 1000;
        if (show(progress)) window.setTimeout(ask, delay);
      })
      .catch(function () {
        // The server restarting, or the network gone for a moment: ask again, less often.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(ask, delay);
      });
  }

  window.setTimeout(ask, delay);
})();
