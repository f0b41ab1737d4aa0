// memi.az: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function showToast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast toast--" + (kind || "success");
    el.textContent = message;
    box.appendChild(el);
    setTimeout(function () { el.classList.add("toast--leaving"); }, 3500);
    setTimeout(function () { el.remove(); }, 4000);
  }

  function fadeFlashes(root) {
    (root || document).querySelectorAll("#toasts .toast").forEach(function (el) {
      setTimeout(function () { el.classList.add("toast--leaving"); }, 4000);
      setTimeout(function () { el.remove(); }, 4500);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { fadeFlashes(); });
  document.addEventListener("htmx:afterSettle", function () { fadeFlashes(); });

  // Server-sent toasts: HX-Trigger: {"memi:toast": {"message": "..."}}
  document.addEventListener("memi:toast", function (evt) {
    showToast(evt.detail && evt.detail.message, evt.detail && evt.detail.kind);
  });

  // Feedback within 100 ms: disable a submit button while its form is on its way.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    form.querySelectorAll("[data-disable-on-submit]").forEach(function (btn) {
      btn.setAttribute("aria-busy", "true");
      setTimeout(function () { btn.disabled = true; }, 0);
    });
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    var el = evt.detail && evt.detail.elt;
    if (!el || !el.querySelectorAll) return;
    el.querySelectorAll("[data-disable-on-submit]").forEach(function (btn) {
      btn.disabled = false;
      btn.removeAttribute("aria-busy");
    });
  });

  // Close open <details> menus on Escape or outside click.
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") {
      document.querySelectorAll("details.menu[open]").forEach(function (d) {
        d.removeAttribute("open");
        var s = d.querySelector("summary");
        if (s) s.focus();
      });
    }
  });
  document.addEventListener("click", function (evt) {
    document.querySelectorAll("details.menu[open]").forEach(function (d) {
      if (!d.contains(evt.target)) d.removeAttribute("open");
    });
  });

  // The page's text for scripts, in the page's language: JSON in #i18n[data-messages] that base.html
  // renders from the server's catalogue (memi.pages.js_messages); an attribute, not a <script> block,
  // as htmx drops script elements from swapped pages. Read on each call: a boosted page brings its own.
  function t(key) {
    var el = document.getElementById("i18n");
    var messages = {};
    try { messages = JSON.parse((el && el.getAttribute("data-messages")) || "{}"); } catch (e) { messages = {}; }
    return messages[key] || "";
  }

  window.memi = { showToast: showToast, t: t };
})();

// The back office's tabs scroll sideways on a phone: bring the current one into view (only the row
// scrolls, never the page).
(function () {
  "use strict";
  function showCurrentAdminTab() {
    var nav = document.querySelector(".admin-nav");
    var tab = nav && nav.querySelector("[aria-current]");
    if (!tab || nav.scrollWidth <= nav.clientWidth) return;
    nav.scrollLeft = tab.offsetLeft - nav.offsetLeft - (nav.clientWidth - tab.offsetWidth) / 2;
  }
  document.addEventListener("DOMContentLoaded", showCurrentAdminTab);
  document.addEventListener("htmx:afterSettle", showCurrentAdminTab);
})();

// Scroll on boosted navigation. A new page opens at its top: htmx's scrollIntoViewOnBoost (the
// htmx-config in base.html) shows the top of <body> after every boosted link or form, the way a full
// page load would; swaps into part of a page (the search results, a heart, a reservation row) keep
// the position. Back and Forward put the page back where it was: htmx keeps no page cache here
// (historyCacheSize 0, so a restore asks the server again) and with no cache it does not restore the
// position itself. So the position goes into the history entry just before htmx leaves it, and is
// read back when the restored page is in.
(function () {
  "use strict";
  var pending = null;

  document.addEventListener("htmx:beforeHistoryUpdate", function () {
    // htmx has just marked the entry being left ({htmx: true}); add where the reader was on it.
    var state = Object.assign({}, history.state || {}, { scroll: window.scrollY });
    history.replaceState(state, "", location.href);
  });

  // Registered before htmx's own onpopstate (set once the page is parsed), which overwrites the state
  // of the entry it restores: read the position first.
  window.addEventListener("popstate", function (evt) {
    var scroll = evt.state && evt.state.scroll;
    pending = typeof scroll === "number" ? scroll : null;
  });

  document.addEventListener("htmx:historyRestore", function () {
    if (pending === null) return;
    var y = pending;
    pending = null;
    window.scrollTo(0, y);
  });
})();
