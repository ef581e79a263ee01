// The API reference, rendered by Swagger UI from this server's own
// /openapi.json. validatorUrl is off so nothing is sent to another origin.
if (typeof SwaggerUIBundle === "undefined") {
  document.getElementById("missing").hidden = false;
} else {
  SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    tryItOutEnabled: true,
    defaultModelsExpandDepth: 0,
    // The page's own header holds its one h1; the viewer's title is a level below.
    onComplete: () => {
      for (const h of document.querySelectorAll("#swagger-ui h1")) {
        h.setAttribute("role", "heading");
        h.setAttribute("aria-level", "2");
      }
    },
  });
}
