/**
 * The bare baseline: the best case Node can do for the same transfers, run as its own process
 * (`node --import tsx bench/baseline-server.ts <port> <dir>`). No framework, no multipart parsing,
 * no hashing, no validation:
 *   POST /upload            raw request body piped to <dir>/<n>.bin (`?fsync=1`: fsynced before the answer)
 *   GET  /files/<n>         fs.createReadStream(file).pipe(res) with Content-Length
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const [portText, dir] = process.argv.slice(2);
let next = 0;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/upload') {
    const id = String(++next);
    const file = path.join(dir, `${id}.bin`);
    pipeline(req, fs.createWriteStream(file, { flush: url.searchParams.get('fsync') === '1' })).then(
      () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ id, size: fs.statSync(file).size }));
      },
      (error: Error) => {
        res.statusCode = 500;
        res.end(error.message);
      },
    );
    return;
  }
  const m = /^\/files\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && m) {
    const file = path.join(dir, `${m[1]}.bin`);
    fs.stat(file, (error, stat) => {
      if (error) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': stat.size });
      fs.createReadStream(file).pipe(res);
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});

server.listen(Number(portText), '127.0.0.1', () => console.log(`baseline listening on http://127.0.0.1:${portText}`));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
