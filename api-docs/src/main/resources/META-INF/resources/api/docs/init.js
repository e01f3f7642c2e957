// Swagger UI on the merged document; "Try it out" calls the API on this origin (log in, then Authorize).
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
  persistAuthorization: false,
  withCredentials: true,
});
