// The portal's own small enhancements; every page works without them.
// Share: "copy link" copies the article address; on phones the Zalo link opens the system share
// sheet (which lists Zalo) when the browser has one. No third-party script is loaded.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-copy-link]");
    var source = document.querySelector("[data-copy-source]");
    var status = document.querySelector("[data-copy-status]");
    if (button && source && navigator.clipboard) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(function () {
          if (status) status.textContent = button.getAttribute("data-done") || "✓";
        });
      });
    }
    var zalo = document.querySelector("[data-share-native]");
    if (zalo && navigator.share && window.matchMedia("(pointer: coarse)").matches) {
      zalo.addEventListener("click", function (event) {
        event.preventDefault();
        navigator.share({ title: document.title, url: source ? source.value : location.href });
      });
    }
  });
})();
