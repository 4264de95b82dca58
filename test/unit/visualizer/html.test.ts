import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visualizerHtml } from '../../../src/visualizer/html';

describe('visualizer HTML', () => {
  it('loads only the app’s script (with the nonce) and stylesheet, under a strict CSP that lets the toolkit’s nonce’d style in', () => {
    const html = visualizerHtml({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
      nonce: 'abc123',
    });
    assert.match(
      html,
      /content="default-src 'none'; img-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net data:; style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-abc123'; font-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net; script-src 'nonce-abc123'"/,
    );
    // Where FAST (the toolkit) looks for the nonce of the <style> element it inserts.
    assert.match(html, /<meta property="csp-nonce" content="abc123">/);
    assert.match(html, /<script nonce="abc123" src="[^"]*\/dist\/webview\/main\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="[^"]*\/dist\/webview\/main\.css">/);
    assert.match(html, /<div id="app"><\/div>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /style="|unsafe-inline|http:\/\//);
  });
  it('draws a fresh nonce for each page', () => {
    const page = () => visualizerHtml({ cspSource: 'x', scriptUri: 'x/main.js', styleUri: 'x/main.css' });
    const nonce = (html: string) => /nonce-([^']+)'/.exec(html)![1];
    assert.notEqual(nonce(page()), nonce(page()));
    assert.ok(nonce(page()).length >= 16);
  });
});
