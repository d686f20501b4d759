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
