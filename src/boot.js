// Runs before the app's loader, for what the app cannot do itself.
//
// If the app cannot start — its code does not download, or fails as it loads — the loading
// state in index.html becomes a message in words with a reload link, instead of a page that
// waits for ever. Once the app runs it removes `#boot`, and this part has nothing left to do.
(function () {
  "use strict";
  function failed() {
    var boot = document.getElementById("boot");
    if (!boot) {
      return;
    }
    boot.querySelector(".loading").hidden = true;
    boot.querySelector(".boot-failed").hidden = false;
    // The sign-in form cannot sign in without the app.
    var signIn = boot.querySelector(".sign-in");
    if (signIn) {
      signIn.remove();
      document.title = "Phonedesk";
    }
  }
  window.addEventListener("error", failed, true);
  window.addEventListener("unhandledrejection", failed);
})();

// A page kept in the browser's back-forward cache would come back as it was left: signed in,
// showing a customer, even after the person signed out in a later page. So a page that is
// put away empties itself, and one that comes back starts again and asks the server who is
// signed in.
(function () {
  "use strict";
  window.addEventListener("pagehide", function (event) {
    if (event.persisted) {
      document.body.replaceChildren();
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.reload();
    }
  });
})();

// The sign-in page before the app. index.html paints it, in the app's own markup, unless this
// browser was signed in when it last left (the script in its <head> chose); who is signed in is
// asked here at once, while the app downloads, and the page follows the answer. A person can
// read the form, type and press Enter; the app takes it over as it starts, with what was typed,
// where the caret was, and whether it was sent (src/takeover.rs).
(function () {
  "use strict";
  var boot = document.getElementById("boot");
  var form = boot && boot.querySelector(".sign-in form");
  if (!form) {
    return;
  }
  var page = document.documentElement;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.setAttribute("data-submitted", "");
    var button = form.querySelector("button");
    button.textContent = "Signing in…";
    button.disabled = true;
  });
  // Beside the API, as the app finds it (src/api.rs, `session_url`).
  var meta = document.querySelector("meta[name=phonedesk-api-base]");
  var api = "/CustomerServices/v1.0";
  var base = ((meta && meta.content) || api).replace(/\/+$/, "");
  var origin = base.slice(-api.length) === api ? base.slice(0, -api.length) : "";
  var headers = { Accept: "application/json", "X-Phonedesk-Request": "1" };
  fetch(origin + "/auth/session", { headers: headers, credentials: "same-origin" })
    .then(function (answer) {
      // Answered after the app started, or after it failed: nothing to change.
      if (!boot.isConnected || !boot.querySelector(".boot-failed").hidden) {
        return;
      }
      if (answer.status === 401) {
        boot.setAttribute("data-nobody-signed-in", "");
        page.classList.add("boot-sign-in");
        document.title = "Sign in — Phonedesk";
        // `autofocus` counts only while the page loads, where the form may have been hidden.
        if (document.activeElement === document.body) {
          form.querySelector("#username").focus();
        }
      } else if (answer.ok) {
        // Someone is: the loading line, until the app shows the page asked for.
        page.classList.remove("boot-sign-in");
        document.title = "Phonedesk";
      }
    })
    .catch(function () {
      // Not reaching the server: the app says so when it starts.
    });
})();
