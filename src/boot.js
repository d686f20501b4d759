// Runs before the app's loader. If the app cannot start — its code does not download, or
// fails as it loads — the loading state in index.html becomes a message in words with a
// reload link, instead of a page that waits for ever. Once the app runs it removes `#boot`,
// and this has nothing left to do.
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
