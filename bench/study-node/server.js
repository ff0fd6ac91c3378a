'use strict';
// One server of the rebuilt study system, speaking as much of realtime-hub's wire protocol
// (docs: /PROTOCOL.md) as the load tool uses:
//   KIND=ws     WebSocket (npm ws) at /hub/ws?channels=: a welcome, then one text frame per event;
//               frames {"type":"publish",...,"ref"} (acked) and {"type":"ping"} (pong)
//   KIND=comet  XHR long-polling at /hub/poll?channels=&client=&timeout=: the first poll creates
//               the session and gets [welcome]; later ones get every event queued since, at once,
//               or wait up to timeout s and get []
// Both take POST /hub/publish {"channel","client","data"} (202 {"id"}) and GET /hub/health.
// Like the study's system, and unlike the hub, there is no cursor: `since` is ignored, a client
// that reconnects gets what is published after it came back; nothing is persisted.
//
//   KIND=ws PORT=9181 RELAY_PORT=9185 NAME=ws-1 node server.js
const crypto = require('crypto');
const http = require('http');
const net = require('net');
const { WebSocketServer } = require('ws');

const kind = process.env.KIND;
const port = Number(process.env.PORT);
const relayPort = Number(process.env.RELAY_PORT || 9185);
const name = process.env.NAME || `${kind}-${port}`;
const CHANNEL = /^[A-Za-z0-9_.:-]{1,64}$/;
const CLIENT = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_BODY = 128 * 1024;
const MAX_QUEUE = 10000;         // events a long-poll session keeps between polls
const MAX_BUFFERED = 1 << 20;    // bytes a WebSocket may have unsent before it is dropped
const SESSION_GRACE_MS = 10000;  // a long-poll session lives this long after its poll's timeout

if (kind !== 'ws' && kind !== 'comet') throw new Error('KIND must be ws or comet');

// ---------------------------------------------------------------- subscriptions

const channels = new Map(); // channel -> Set of subscribers ({deliver(json)})

function subscribe(sub, names) {
  for (const c of names) {
    if (!channels.has(c)) channels.set(c, new Set());
    channels.get(c).add(sub);
  }
}

function unsubscribe(sub, names) {
  for (const c of names) {
    const set = channels.get(c);
    if (set && set.delete(sub) && set.size === 0) channels.delete(c);
  }
}

function channelsOf(params) {
  const names = (params.get('channels') || 'map').split(',');
  return names.every((c) => CHANNEL.test(c)) ? names : null;
}

function clientOf(params) {
  const c = params.get('client');
  return c && CLIENT.test(c) ? c : null;
}

const newClientId = () => crypto.randomBytes(6).toString('hex');

// ---------------------------------------------------------------- the relay

let relay = null;            // the connected socket, or null
let seq = 0;
const pending = new Map();   // event id -> callback once the relay sent it back
const afterBatch = new Set(); // long-poll sessions to answer once a batch of lines is delivered

function connectRelay() {
  const socket = net.connect(relayPort, '127.0.0.1');
  socket.setNoDelay(true);
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('connect', () => { relay = socket; console.log(`${name}: relay connected`); });
  socket.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      // id \t channel \t event JSON (JSON.stringify never writes a raw tab or newline)
      const a = line.indexOf('\t');
      const b = line.indexOf('\t', a + 1);
      const id = line.slice(0, a);
      const json = line.slice(b + 1);
      const set = channels.get(line.slice(a + 1, b));
      if (set) {
        // encoded once per event: ws sends the same bytes to every socket
        const payload = kind === 'ws' ? Buffer.from(json) : json;
        for (const sub of set) sub.deliver(payload);
      }
      const done = pending.get(id);
      if (done) { pending.delete(id); done(null, id); }
    }
    for (const session of afterBatch) session.flush();
    afterBatch.clear();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    if (relay === socket) console.log(`${name}: relay lost`);
    relay = null;
    for (const done of pending.values()) done(new Error('relay lost'));
    pending.clear();
    setTimeout(connectRelay, 500);
  });
}

/** Stamps and serialises the event once, sends it to the relay; done(err, id) once it came back. */
function publish(channel, from, data, done) {
  if (!relay) return done(new Error('relay down'));
  const id = `${name}-${(++seq).toString(36)}`;
  const event = { id, channel, type: 'message' };
  if (from) event.from = from;
  event.ts = Date.now();
  event.data = data;
  pending.set(id, done);
  relay.write(`${id}\t${channel}\t${JSON.stringify(event)}\n`);
}

// ---------------------------------------------------------------- HTTP

function reply(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

const error = (code, message) => JSON.stringify({ type: 'error', code, message });

function httpPublish(req, res) {
  const parts = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) parts.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY) return reply(res, 413, error('too_large', 'body too large'));
    let body;
    try { body = JSON.parse(Buffer.concat(parts).toString('utf8')); } catch (e) { body = null; }
    if (!body || typeof body.channel !== 'string' || !CHANNEL.test(body.channel) || body.data === undefined
        || (body.client !== undefined && !CLIENT.test(String(body.client)))) {
      return reply(res, 400, error('bad_request', 'expected {"channel","client","data"}'));
    }
    publish(body.channel, body.client, body.data, (err, id) => {
      if (err) reply(res, 503, error('unavailable', err.message));
      else reply(res, 202, JSON.stringify({ id }));
    });
  });
}

const sessions = new Map(); // long-poll client id -> Session

class Session {
  constructor(id, names) {
    this.id = id;
    this.names = names;
    this.queue = [];
    this.res = null;
    this.timer = null;
    this.seen = Date.now();
    subscribe(this, names);
  }

  deliver(json) {
    if (this.queue.length >= MAX_QUEUE) this.queue.shift();
    this.queue.push(json);
    if (this.res) afterBatch.add(this);
  }

  hold(res, timeoutSeconds) {
    this.answer([]); // a newer poll replaces a waiting one
    this.seen = Date.now();
    this.res = res;
    if (this.queue.length > 0 || timeoutSeconds === 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), timeoutSeconds * 1000);
    res.on('close', () => { if (this.res === res) this.answer(null); });
    return undefined;
  }

  flush() {
    const events = this.queue;
    this.queue = [];
    this.answer(events);
  }

  answer(events) {
    const res = this.res;
    if (!res) return;
    clearTimeout(this.timer);
    this.res = null;
    this.seen = Date.now();
    if (events) reply(res, 200, `[${events.join(',')}]`);
  }
}

function poll(req, res, params) {
  const names = channelsOf(params);
  if (!names) return reply(res, 400, error('bad_request', 'bad channels'));
  const timeout = Math.max(0, Math.min(60, Number(params.get('timeout') || 25) || 0));
  const client = clientOf(params);
  let session = client && sessions.get(client);
  if (!session) {
    session = new Session(client || newClientId(), names);
    sessions.set(session.id, session);
    const welcome = { type: 'welcome', client: session.id, node: name, transport: 'poll' };
    return reply(res, 200, `[${JSON.stringify(welcome)}]`);
  }
  return session.hold(res, timeout);
}

// sessions nobody polls any more (no poll waiting, none for the longest timeout plus a grace)
setInterval(() => {
  const oldest = Date.now() - 60000 - SESSION_GRACE_MS;
  for (const session of sessions.values()) {
    if (!session.res && session.seen < oldest) {
      unsubscribe(session, session.names);
      sessions.delete(session.id);
    }
  }
}, 5000).unref();

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/hub/publish') return httpPublish(req, res);
  if (req.method === 'GET' && url.pathname === '/hub/health') {
    return reply(res, relay ? 200 : 503, JSON.stringify({ status: relay ? 'UP' : 'DOWN', node: name, relay: relay ? 'UP' : 'DOWN' }));
  }
  if (kind === 'comet' && req.method === 'GET' && url.pathname === '/hub/poll') return poll(req, res, url.searchParams);
  return reply(res, 404, error('bad_request', 'not found'));
});
server.keepAliveTimeout = 65000; // nginx keeps its upstream connections for the stream of polls

// ---------------------------------------------------------------- WebSocket

if (kind === 'ws') {
  const wss = new WebSocketServer({ server, path: '/hub/ws', maxPayload: MAX_BODY, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const params = new URL(req.url, 'http://localhost').searchParams;
    const names = channelsOf(params);
    if (!names) return ws.close(1008, 'bad channels');
    const client = clientOf(params) || newClientId();
    const sub = {
      deliver(json) {
        if (ws.bufferedAmount > MAX_BUFFERED) ws.terminate(); // a slow consumer
        else ws.send(json, { binary: false });
      },
    };
    subscribe(sub, names);
    ws.send(JSON.stringify({ type: 'welcome', client, node: name, transport: 'websocket' }));
    ws.on('message', (data, isBinary) => {
      let frame;
      try { frame = isBinary ? null : JSON.parse(data.toString('utf8')); } catch (e) { frame = null; }
      if (!frame || typeof frame !== 'object') return ws.send(error('bad_request', 'expected a JSON object'));
      if (frame.type === 'ping') return ws.send('{"type":"pong"}');
      if (frame.type !== 'publish' || typeof frame.channel !== 'string' || !CHANNEL.test(frame.channel)) {
        return ws.send(error('bad_request', 'expected publish or ping'));
      }
      return publish(frame.channel, client, frame.data, (err, id) => {
        if (err) ws.send(JSON.stringify({ type: 'error', code: 'unavailable', message: err.message, ref: frame.ref }));
        else if (frame.ref !== undefined) ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, id }));
      });
    });
    ws.on('error', () => {});
    ws.on('close', () => unsubscribe(sub, names));
    return undefined;
  });
}

connectRelay();
server.listen(port, '127.0.0.1', () => console.log(`${name}: ${kind} server on 127.0.0.1:${port}`));
