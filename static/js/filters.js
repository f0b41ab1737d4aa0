// memi.az: the browse page's filters. On a laptop they stay open beside the results and every change
// re-filters them. On a phone they wait in a sheet that opens from the bottom (a modal <dialog>: the
// page behind is inert, Escape closes it and the focus returns to the Filters button); while it is
// open a change only asks how many items the chosen filters would show ("Show N items"), and that
// button applies them. Without JavaScript the form is a plain GET form after the results.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 899px)");

  function sheet() { return document.getElementById("filter-sheet"); }
  function isModal(d) { return !!(d && d.open && d.matches(":modal")); }

  function place() {
    var d = sheet();
    if (!d) return;
    if (phone.matches) {
      if (d.open && !isModal(d)) d.close();
    } else if (isModal(d)) {
      d.close();
      d.show();
    } else if (!d.open) {
      d.show();
    }
  }
  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", function () {
    place();
    var d = sheet();
    if (d && d.memiRefocus) {
      d.memiRefocus = false;
      var button = document.getElementById("open-filters");
      if (button) button.focus();
    }
  });
  if (phone.addEventListener) phone.addEventListener("change", place);

  function count() {
    var probe = document.getElementById("count-probe");
    if (probe && window.htmx) window.htmx.trigger(probe, "memi:count");
  }

  document.addEventListener("click", function (evt) {
    var opener = evt.target.closest && evt.target.closest("[data-opens-sheet]");
    var d = sheet();
    if (!opener || !d || !phone.matches || typeof d.showModal !== "function") return;
    evt.preventDefault();
    if (d.open) d.close();
    d.memiOpener = opener;  // static/js/dialog.js gives it the focus back on close
    d.showModal();
    count();
  });

  document.addEventListener("change", function (evt) {
    var field = evt.target;
    if (!field.form || field.form.id !== "filters" || !window.htmx) return;
    var d = sheet();
    if (isModal(d) && d.contains(field)) count();
    else window.htmx.trigger(field.form, "memi:refilter");
  });

  // "Show N items": htmx sends the form (its own submit listener runs first); the sheet closes and,
  // once the results are in, the focus goes to the new Filters button.
  document.addEventListener("submit", function (evt) {
    var d = sheet();
    if (evt.target.id !== "filters" || !isModal(d)) return;
    d.memiRefocus = true;
    d.close();
  });
})();
