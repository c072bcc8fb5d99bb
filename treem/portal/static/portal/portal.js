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

  // The reader's own vote on a cached page (the same bytes for every reader): the page shows it
  // from this browser's memory of the vote, kept when the server answered it (the rating block
  // then carries data-my-vote). Nothing is sent anywhere.
  function rememberOrShowVote(section) {
    if (!section || !window.localStorage) return;
    var key = "treem-vote:" + section.getAttribute("data-vote-slug");
    var mine = section.getAttribute("data-my-vote");
    try {
      if (mine) {
        localStorage.setItem(key, mine);
        return;
      }
      mine = parseInt(localStorage.getItem(key) || "", 10);
    } catch (e) {
      return;
    }
    if (!(mine >= 1 && mine <= 5)) return;
    section.querySelectorAll("button[name=stars]").forEach(function (button) {
      var value = parseInt(button.value, 10);
      button.classList.toggle("on", value <= mine);
      button.setAttribute("aria-pressed", value === mine ? "true" : "false");
    });
    var note = section.querySelector("[data-my-vote-note]");
    if (note) {
      note.textContent = note.getAttribute("data-text").replace("{n}", String(mine));
      note.hidden = false;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    rememberOrShowVote(document.getElementById("danh-gia"));
  });
  // htmx:load fires on the new rating block itself once it is in the page.
  ["htmx:load", "htmx:afterSwap"].forEach(function (name) {
    document.addEventListener(name, function () {
      rememberOrShowVote(document.getElementById("danh-gia"));
    });
  });
})();
