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

// Photo previews for file inputs with data-preview="#target" (object URLs; CSP allows blob: images).
(function () {
  "use strict";
  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("input[type=file][data-preview]")) return;
    var box = document.querySelector(input.getAttribute("data-preview"));
    if (!box) return;
    box.textContent = "";
    Array.prototype.slice.call(input.files || [], 0, 8).forEach(function (file, i) {
      if (!/^image\//.test(file.type)) return;
      var img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = "";
      img.width = 96;
      img.height = 120;
      img.className = "photo-preview" + (i === 0 ? " photo-preview--cover" : "");
      img.onload = function () { URL.revokeObjectURL(img.src); };
      box.appendChild(img);
    });
    if ((input.files || []).length > 8) {
      var note = document.createElement("p");
      note.className = "field-error";
      note.textContent = window.memi.t("photos_max");
      box.appendChild(note);
    }
  });
})();
