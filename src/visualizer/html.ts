import { randomBytes } from 'node:crypto';

/**
 * The page both the side-bar view and the editor panel load. Nothing remote: the script and the stylesheet
 * come from dist/webview through webview URIs, and the CSP allows only them, webview-local images and fonts,
 * and the one script carrying this page's nonce. Styles may also carry the nonce: the toolkit's FAST elements
 * insert a <style> element (their :focus-visible probe) and give it the nonce they find in
 * <meta property="csp-nonce">; without it CSP blocks that element and focus rings show on mouse clicks.
 */
export function visualizerHtml(options: { cspSource: string; scriptUri: string; styleUri: string; nonce?: string }): string {
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${options.cspSource} data:`,
    `style-src ${options.cspSource} 'nonce-${nonce}'`,
    `font-src ${options.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta property="csp-nonce" content="${escapeAttribute(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Prompt Lens</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
