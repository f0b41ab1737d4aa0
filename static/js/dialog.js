// memi.az: dialogs filled by htmx (the report form). A link with data-opens-dialog="<id>" and hx-get
// loads its content into the dialog; the dialog opens as a modal, the focus moves in, Escape or a
// [data-dialog-close] button closes it and the focus goes back to the link. Without JavaScript the
// link simply opens its page.
(function () {
  "use strict";

  function focusInside(dialog) {
    var target = dialog.querySelector("[data-autofocus]") ||
      dialog.querySelector("input:not([type=hidden]):checked, input:not([type=hidden]), textarea, select, button:not(.dialog-close)");
    if (target) target.focus();
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var opener = evt.detail && evt.detail.elt;
    if (!opener || !opener.getAttribute) return;
    var id = opener.getAttribute("data-opens-dialog");
    var dialog = id && document.getElementById(id);
    if (dialog) dialog.memiOpener = opener;
  });

  document.addEventListener("htmx:afterSettle", function (evt) {
    var target = evt.detail && evt.detail.target;
    var dialog = target && target.isConnected && target.closest ? target.closest("dialog") : null;
    // An outerHTML swap inside an open dialog (the form answered in place) detaches the old target.
    if (!dialog && target && !target.isConnected) dialog = document.querySelector("dialog[open]");
    // A dialog that manages its own focus (the browse page's filter sheet) keeps it where it is.
    if (!dialog || dialog.hasAttribute("data-keeps-focus")) return;
    if (!dialog.open && typeof dialog.showModal === "function") dialog.showModal();
    focusInside(dialog);
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-dialog-close]");
    if (!button) return;
    var dialog = button.closest("dialog");
    if (dialog) dialog.close();
  });

  // Escape closes a modal dialog natively; either way the focus returns to what opened it.
  document.addEventListener("close", function (evt) {
    var dialog = evt.target;
    if (!dialog || dialog.tagName !== "DIALOG") return;
    if (dialog.memiOpener && document.contains(dialog.memiOpener)) dialog.memiOpener.focus();
  }, true);
})();
