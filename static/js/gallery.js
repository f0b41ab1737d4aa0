// memi.az: the product page's photo gallery. Without this file the photos still swipe (CSS scroll
// snap), the thumbnails jump to their photo and the counter stays at "1/N".
// With it: the counter and the highlighted thumbnail follow the photo in view, and a thumbnail
// slides the gallery to its photo instead of jumping the whole page to it.
(function () {
  "use strict";

  function currentIndex(track) {
    var width = track.clientWidth || 1;
    return Math.round(track.scrollLeft / width);
  }

  function update(track) {
    var gallery = track.closest(".gallery");
    if (!gallery) return;
    var index = currentIndex(track);
    var counter = gallery.querySelector("[data-gallery-current]");
    if (counter) counter.textContent = String(index + 1);
    gallery.querySelectorAll("[data-gallery-thumb]").forEach(function (thumb) {
      if (Number(thumb.getAttribute("data-gallery-thumb")) === index) {
        thumb.setAttribute("aria-current", "true");
      } else {
        thumb.removeAttribute("aria-current");
      }
    });
  }

  var pending = null;
  // Scroll events do not bubble: listen in the capture phase, for galleries that htmx swaps in too.
  document.addEventListener("scroll", function (evt) {
    var track = evt.target;
    if (!(track instanceof Element) || !track.matches("[data-gallery]")) return;
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = null;
      update(track);
    });
  }, true);

  document.addEventListener("click", function (evt) {
    var thumb = evt.target.closest && evt.target.closest("[data-gallery-thumb]");
    if (!thumb) return;
    var gallery = thumb.closest(".gallery");
    var track = gallery && gallery.querySelector("[data-gallery]");
    if (!track) return;
    evt.preventDefault();
    var index = Number(thumb.getAttribute("data-gallery-thumb"));
    var calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    track.scrollTo({ left: index * track.clientWidth, behavior: calm ? "auto" : "smooth" });
  });
})();
