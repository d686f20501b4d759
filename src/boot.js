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

// The sign-in page before the app: who is signed in is asked at once, while the app
// downloads; when nobody is, index.html's sign-in form is shown, in the app's own markup. A
// person can read it, type and press Enter; the app takes it over as it starts, with what was
// typed, where the caret was, and whether it was sent (src/takeover.rs). Signed in, the
// loading state stays until the app shows the page asked for.
(function () {
  "use strict";
  var boot = document.getElementById("boot");
  var template = document.getElementById("boot-sign-in");
  if (!boot || !template) {
    return;
  }
  // Beside the API, as the app finds it (src/api.rs, `session_url`).
  var meta = document.querySelector("meta[name=phonedesk-api-base]");
  var api = "/CustomerServices/v1.0";
  var base = ((meta && meta.content) || api).replace(/\/+$/, "");
  var origin = base.slice(-api.length) === api ? base.slice(0, -api.length) : "";
  var headers = { Accept: "application/json", "X-Phonedesk-Request": "1" };
  fetch(origin + "/auth/session", { headers: headers, credentials: "same-origin" })
    .then(function (answer) {
      var failed = !boot.querySelector(".boot-failed").hidden;
      // Asked while the app started, or after it failed: nothing to show.
      if (answer.status !== 401 || !boot.isConnected || failed) {
        return;
      }
      boot.setAttribute("data-nobody-signed-in", "");
      boot.querySelector(".loading").hidden = true;
      boot.querySelector(".masthead__session").innerHTML = "<span>Not signed in</span>";
      boot.querySelector("main").appendChild(template.content.cloneNode(true));
      document.title = "Sign in — Phonedesk";
      var form = boot.querySelector("form");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.setAttribute("data-submitted", "");
        var button = form.querySelector("button");
        button.textContent = "Signing in…";
        button.disabled = true;
      });
      // `autofocus` counts only as the page loads; this form came later.
      if (document.activeElement === document.body) {
        form.querySelector("#username").focus();
      }
    })
    .catch(function () {
      // Not reaching the server: the app says so when it starts.
    });
})();
