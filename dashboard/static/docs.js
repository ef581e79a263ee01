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
  });
}
