// Swagger UI for /api/v1/docs, served from our own static files (no CDN, no inline script).
window.addEventListener("load", function () {
  var el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: el.getAttribute("data-spec-url"), dom_id: "#swagger-ui", deepLinking: true });
});
