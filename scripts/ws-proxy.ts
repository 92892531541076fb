import net from 'node:net';
import { createRequire } from 'node:module';
import type { WebSocketServer as WSS } from 'ws';

// Loaded through require so bundlers that prefer browser builds (vitest's workerd project)
// still get the Node server implementation.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: typeof WSS };

/**
 * A tiny WebSocket-to-TCP proxy so the Neon serverless driver (which speaks Postgres over a
 * WebSocket) can reach a plain local PostgreSQL, from Node and from inside workerd.
 * The driver asks for `ws://<proxy>/v1?address=<host>:<port>`.
 */
export async function startWsProxy(opts: { port?: number; host?: string; allowHosts?: string[] } = {}) {
  const allow = new Set(opts.allowHosts ?? ['127.0.0.1', 'localhost', '::1']);
  const wss = new WebSocketServer({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', path: '/v1', perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const address = url.searchParams.get('address') ?? '';
    const idx = address.lastIndexOf(':');
    const host = address.slice(0, idx);
    const port = Number(address.slice(idx + 1));
    if (!allow.has(host) || !Number.isInteger(port)) {
      ws.close(1008, 'address not allowed');
      return;
    }
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const queued: Buffer[] = [];
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      for (const b of queued) socket.write(b);
      queued.length = 0;
    });
    ws.on('message', (data: Buffer) => {
      if (connected) socket.write(data);
      else queued.push(data);
    });
    socket.on('data', (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    const closeBoth = () => {
      socket.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    socket.on('error', closeBoth);
    socket.on('close', closeBoth);
    ws.on('close', () => socket.destroy());
    ws.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    /** Value for NEON_WS_PROXY. */
    proxy: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => resolve());
    }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.WS_PROXY_PORT ?? 5488);
  const p = await startWsProxy({ port });
  console.log(`WebSocket-to-TCP proxy on ${p.proxy} (set NEON_WS_PROXY=${p.proxy})`);
}
