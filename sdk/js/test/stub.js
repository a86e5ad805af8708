'use strict';

// A local HTTP server answering canned responses, for the unit tests.

const http = require('node:http');
const zlib = require('node:zlib');

/**
 * Serves answers in order (the last one repeats) and records the requests. An
 * answer is { status, headers, body } with body a string or an object sent as
 * JSON; gzip: true encodes the body.
 */
async function startStub(...answers) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const a = answers[Math.min(requests.length, answers.length) - 1];
      let raw = Buffer.from(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
      const headers = { 'content-type': 'application/json', ...(a.headers || {}) };
      if (a.gzip) {
        raw = zlib.gzipSync(raw);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(raw.length);
      res.writeHead(a.status ?? 200, headers);
      res.end(raw);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

function envelope(code, message = 'm', details = { field: 'query' }) {
  return { error: { code, message, details }, timestamp: '2026-01-02T03:04:05Z', request_id: 'req_env' };
}

module.exports = { startStub, envelope };
