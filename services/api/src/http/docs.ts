import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type Router from '@koa/router';
import swaggerUi from 'swagger-ui-dist';

const bundledSpec = new URL('../../../../spec/dist/openapi.json', import.meta.url);

/** The spec as served: server URLs point at the host that answered, so "Try it out" calls this server. */
function specFor(origin: string, spec: Record<string, unknown>): Record<string, unknown> {
  const paths = Object.fromEntries(
    Object.entries(spec.paths as Record<string, Record<string, { servers?: unknown }>>).map(([path, item]) => [
      path,
      Object.fromEntries(Object.entries(item).map(([m, op]) => [m, op?.servers ? { ...op, servers: [{ url: origin }] } : op])),
    ]),
  );
  return { ...spec, servers: [{ url: `${origin}/v1`, description: 'This Tally server' }], paths };
}

// Our own page instead of the package's initializer, which loads a demo spec from the internet.
const indexHtml = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tally API</title>
  <link rel="stylesheet" href="./swagger-ui.css">
  <link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="./swagger-ui-bundle.js"></script>
  <script src="./swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/swagger/doc.json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      // Tags start collapsed: Swagger UI renders an operation in a few milliseconds while fewer than
      // about 130 are on the page, and takes seconds for each past that (measured with 5.35.0), so
      // rendering all of Tally's operations at once would leave the page half drawn.
      docExpansion: 'none',
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>
`;

const types: Record<string, string> = { '.js': 'application/javascript', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json' };

/** `/swagger/doc.json` (the bundled spec) and Swagger UI at `/swagger/index.html`, served from swagger-ui-dist. */
export function mountDocs(router: Router): void {
  const spec = JSON.parse(readFileSync(bundledSpec, 'utf8')) as Record<string, unknown>;
  const assetsDir = swaggerUi.getAbsoluteFSPath();
  const assets = new Set(readdirSync(assetsDir).filter((f) => f in types || extname(f) in types));
  router.get('/swagger/doc.json', (ctx) => {
    ctx.body = specFor(`${ctx.protocol}://${ctx.host}`, spec);
  });
  router.get(['/swagger', '/swagger/'], (ctx) => ctx.redirect('/swagger/index.html'));
  router.get('/swagger/index.html', (ctx) => {
    ctx.type = 'text/html';
    ctx.body = indexHtml;
  });
  router.get('/swagger/:file', (ctx, next) => {
    const file = ctx.params.file;
    if (!assets.has(file)) return next();
    ctx.type = types[extname(file)];
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = readFileSync(join(assetsDir, file));
  });
}
