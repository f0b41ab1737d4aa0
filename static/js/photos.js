// memi.az: the photos of the sell and edit forms. Without this file the form still works: files go with
// the form and come back as tiles, the arrow and remove buttons re-render the form in their new order.
// With it, each chosen file is uploaded at once as a draft (with its progress), the tiles are reordered
// by dragging or by their arrow buttons, and a removed photo can be brought back from the toast.
(function () {
  "use strict";

  function t(key) { return (window.memi && window.memi.t(key)) || ""; }
  function fill(text, n) { return text.replace(/%\(n\)d/g, String(n)); }

  function fieldOf(el) { return el && el.closest ? el.closest("[data-photo-field]") : null; }
  function tilesOf(field) { return field.querySelector("[data-photo-tiles]"); }
  function tiles(field) { return Array.prototype.slice.call(tilesOf(field).querySelectorAll("[data-photo-tile]")); }
  function uploading(field) { return tilesOf(field).querySelectorAll(".photo-tile--uploading").length; }

  // Labels carry the photo's number: keep them right after every change of order.
  function renumber(field) {
    var list = tiles(field);
    list.forEach(function (tile, i) {
      var n = i + 1;
      var img = tile.querySelector("[data-photo-img]");
      if (img) img.alt = fill(t("photo_n"), n);
      var earlier = tile.querySelector('[data-photo-move="-1"]');
      var later = tile.querySelector('[data-photo-move="1"]');
      var remove = tile.querySelector("[data-photo-remove]");
      if (earlier) earlier.setAttribute("aria-label", fill(t("photo_earlier"), n));
      if (later) later.setAttribute("aria-label", fill(t("photo_later"), n));
      if (remove) remove.setAttribute("aria-label", fill(t("photo_remove"), n));
    });
    var count = field.querySelector("[data-photo-count]");
    if (count) count.textContent = list.length + "/" + field.getAttribute("data-max");
  }

  function showError(field, message) {
    var box = field.querySelector("[data-photo-error]");
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  function csrfToken(field) {
    var form = field.closest("form");
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function upload(field, file) {
    var placeholder = document.createElement("li");
    placeholder.className = "photo-tile photo-tile--uploading";
    var label = document.createElement("span");
    label.textContent = t("photo_uploading");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", t("photo_uploading"));
    placeholder.appendChild(bar);
    placeholder.appendChild(label);
    tilesOf(field).appendChild(placeholder);

    var data = new FormData();
    data.append("photos", file);
    data.append("csrf_token", csrfToken(field));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", field.getAttribute("data-upload-url"));
    xhr.setRequestHeader("X-CSRFToken", csrfToken(field));
    xhr.upload.onprogress = function (evt) {
      if (evt.lengthComputable) bar.value = Math.round((evt.loaded / evt.total) * 95);
    };
    xhr.onload = function () {
      if (xhr.status === 200) {
        var holder = document.createElement("ol");
        holder.innerHTML = xhr.responseText;
        Array.prototype.slice.call(holder.children).forEach(function (tile) {
          tilesOf(field).insertBefore(tile, placeholder);
        });
        placeholder.remove();
      } else {
        var message = t("photo_failed");
        try { message = JSON.parse(xhr.responseText).error || message; } catch (e) { /* keep the default */ }
        placeholder.remove();
        showError(field, message);
      }
      renumber(field);
    };
    xhr.onerror = function () {
      placeholder.remove();
      showError(field, t("photo_failed"));
      renumber(field);
    };
    xhr.send(data);
  }

  function uploadAll(field, files) {
    showError(field, "");
    var room = Number(field.getAttribute("data-max")) - tiles(field).length - uploading(field);
    var list = Array.prototype.slice.call(files || []);
    if (list.length > room) {
      showError(field, t("photos_max"));
      list = list.slice(0, Math.max(0, room));
    }
    list.forEach(function (file) { upload(field, file); });
  }

  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("[data-photo-field] input[type=file]")) return;
    var field = fieldOf(input);
    uploadAll(field, input.files);
    input.value = ""; // uploaded already: the form must not send the files a second time
  });

  // Files dropped on the dropzone (a laptop).
  document.addEventListener("dragover", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-photo-drop]");
    if (!zone || !evt.dataTransfer || Array.prototype.indexOf.call(evt.dataTransfer.types, "Files") < 0) return;
    evt.preventDefault();
    zone.classList.add("dropzone--over");
  });
  document.addEventListener("dragleave", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-photo-drop]");
    if (zone) zone.classList.remove("dropzone--over");
  });
  document.addEventListener("drop", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-photo-drop]");
    if (!zone || !evt.dataTransfer || !evt.dataTransfer.files.length) return;
    evt.preventDefault();
    zone.classList.remove("dropzone--over");
    uploadAll(fieldOf(zone), evt.dataTransfer.files);
  });

  // The arrow buttons and remove: client-side, no reload (without JS they submit the form).
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-photo-move], [data-photo-remove]");
    if (!button) return;
    var field = fieldOf(button);
    var tile = button.closest("[data-photo-tile]");
    if (!field || !tile) return;
    evt.preventDefault();
    if (button.hasAttribute("data-photo-remove")) {
      removeTile(field, tile);
      return;
    }
    var step = Number(button.getAttribute("data-photo-move"));
    var list = tilesOf(field);
    if (step < 0 && tile.previousElementSibling) list.insertBefore(tile, tile.previousElementSibling);
    if (step > 0 && tile.nextElementSibling) list.insertBefore(tile.nextElementSibling, tile);
    renumber(field);
    // Keep the focus on the arrow that moved the photo, or its other arrow at either end.
    var again = tile.querySelector('[data-photo-move="' + step + '"]');
    if (again && getComputedStyle(again).visibility === "hidden") again = tile.querySelector('[data-photo-move="' + -step + '"]');
    if (again) again.focus();
    announce(field, fill(t("photo_moved"), tiles(field).indexOf(tile) + 1));
  });

  function announce(field, message) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var live = field.querySelector("[data-photo-live]");
    if (!live) {
      live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("data-photo-live", "");
      field.appendChild(live);
    }
    live.textContent = message;
  }

  function removeTile(field, tile) {
    var list = tilesOf(field);
    var next = tile.nextElementSibling;
    var focusTarget = (next || tile.previousElementSibling);
    tile.remove();
    renumber(field);
    var focusButton = focusTarget && focusTarget.querySelector("[data-photo-remove]");
    (focusButton || field.querySelector("input[type=file]")).focus();

    var box = document.getElementById("toasts");
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast toast--success";
    var text = document.createElement("span");
    text.textContent = t("photo_removed");
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "toast-action";
    undo.textContent = t("undo");
    undo.addEventListener("click", function () {
      if (next && next.parentNode === list) list.insertBefore(tile, next);
      else list.appendChild(tile);
      renumber(field);
      toast.remove();
      var button = tile.querySelector("[data-photo-remove]");
      if (button) button.focus();
    });
    toast.appendChild(text);
    toast.appendChild(undo);
    box.appendChild(toast);
    setTimeout(function () { toast.classList.add("toast--leaving"); }, 7000);
    setTimeout(function () { toast.remove(); }, 7500);
  }

  // Drag to reorder (HTML5 drag and drop; on a phone the arrows do it).
  var dragged = null;
  document.addEventListener("dragstart", function (evt) {
    var tile = evt.target.closest && evt.target.closest("[data-photo-tile]");
    if (!tile) return;
    dragged = tile;
    tile.classList.add("photo-tile--dragging");
    evt.dataTransfer.effectAllowed = "move";
    evt.dataTransfer.setData("text/plain", "");
  });
  document.addEventListener("dragover", function (evt) {
    if (!dragged) return;
    var over = evt.target.closest && evt.target.closest("[data-photo-tile]");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) return;
    evt.preventDefault();
    var box = over.getBoundingClientRect();
    var after = evt.clientX > box.left + box.width / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  document.addEventListener("drop", function (evt) {
    if (dragged) evt.preventDefault();
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var field = fieldOf(dragged);
    dragged.classList.remove("photo-tile--dragging");
    dragged = null;
    if (field) renumber(field);
  });
})();
