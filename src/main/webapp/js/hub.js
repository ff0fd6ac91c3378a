/*
 * hub.js: browser client for realtime-hub (wire protocol version 1, see PROTOCOL.md).
 *
 *   const client = Hub.connect({url: '/hub', transport: 'auto', channels: ['map']});
 *   client.on('message', ev => console.log(ev.from, ev.data));
 *   client.publish('map', {lat: 51.53, lng: 46.03}).then(id => ...);
 *   client.on('presence', ev => console.log(ev.channel, ev.data.count)); // big channels: a count, not each join/leave
 *   client.presence('map', {limit: 100, after: lastClientOfPreviousPage}).then(page => page.count, page.clients, page.next);
 *
 * Identity (see README, security): anonymously the server assigns the client id and a secret
 * resume `key` in `welcome`; the client keeps both and sends `key=` wherever it sends `client=`
 * (every transport, HTTP and JSONP publish). A resume whose key is refused (403, e.g. nodes that
 * do not share hub.secret) forgets both and reconnects with `since` under a new id. Where the
 * browser hides the status (WebSocket, SSE, iframe and JSONP failures all look alike), three
 * failed resumes in a row count as that refusal. Options for servers that want tokens:
 *   token     a JWT, sent as `token=` on every request (browsers cannot set WebSocket headers);
 *             the id is then the token's `sub` and no `client`/`key` is sent
 *   getToken  () => token or Promise<token>: called before the first connect and after any
 *             unauthorized answer (HTTP 401, WebSocket close 4001 "token expired", an `error`
 *             event with code `unauthorized`) or failure to connect, then the client reconnects
 *             with `since` as usual, so nothing is lost across a token's expiry
 *   key       the resume key that goes with `client` (when the application kept both)
 *
 * One Client owns everything that outlives a connection: the client id, the id of the
 * last event delivered (`since`), the recent ids used to drop duplicates, listeners,
 * backoff and status. A transport is a small object that opens one connection, hands
 * every event it receives to the client and reports when it fails; the client then
 * reconnects (with backoff) and resumes with `since`, so the application sees neither
 * a gap nor a duplicate. Needs ES2015 and Promise (every current browser); the
 * JSONP and iframe transports are for networks that break WebSockets, CORS or
 * streaming, not for ancient browsers.
 */
(function (root, factory) {
  const Hub = factory(root);
  if (typeof module === 'object' && module.exports) module.exports = Hub;
  if (root) root.Hub = Hub;
})(typeof window !== 'undefined' ? window : undefined, function (window) {
  'use strict';

  // Order for 'auto': WebSocket is cheapest; SSE streams over plain HTTP and resumes
  // natively; long-polling survives proxies that buffer streams; the iframe streams
  // where EventSource is missing; JSONP is last, it is the only one that works
  // cross-origin without CORS but cannot publish unless the server allows it.
  const AUTO_ORDER = ['websocket', 'sse', 'poll', 'iframe', 'jsonp'];

  const DEFAULTS = {
    url: '/hub',
    transport: 'auto',
    channels: ['map'],
    client: null,            // client id to reuse (normally learnt from `welcome`)
    key: null,               // the resume key of that id (normally learnt from `welcome`)
    token: null,             // a JWT for servers with tokens on, sent as `token=`
    getToken: null,          // () => token or Promise<token>, asked again after an unauthorized answer
    since: null,             // id of the last event already seen, to resume from
    pollTimeout: 25,         // seconds the server may hold a long-poll
    pollMargin: 10,          // seconds on top of that before a poll counts as dead
    openTimeout: 5000,       // ms to wait for `welcome` before a transport counts as failed
    pingInterval: 20000,     // ms between WebSocket pings
    pongTimeout: 10000,      // ms to wait for any frame after a ping
    silenceTimeout: 40000,   // ms without a byte after which a stream counts as dead
    requestTimeout: 10000,   // ms for publish, presence and ping
    backoffBase: 500,        // ms, first reconnect delay cap; doubles per failure
    backoffMax: 10000,       // ms, reconnect delay cap
    stableAfter: 5000,       // ms a connection must live before backoff starts over
    dedupeSize: 1000,        // how many recent event ids are remembered
  };

  // HTTP status -> protocol error code, for answers without an error body.
  const HTTP_CODES = {400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 413: 'too_large', 429: 'rate_limited', 503: 'unavailable'};

  // Refusals a transport reports to the client: 401 asks for a new token, 403 drops a refused key.
  const REFUSALS = {401: 'unauthorized', 403: 'forbidden'};

  let seq = 0; // unique callback names and publish refs

  function hubError(code, message, extra) {
    return Object.assign(new Error(message || code), {code: code}, extra);
  }

  function errorFrom(status, body) {
    if (body && body.type === 'error') return hubError(body.code, body.message, {status: status});
    const code = HTTP_CODES[status] || (status ? 'http_' + status : 'network');
    return hubError(code, status ? 'HTTP ' + status : 'network error', {status: status});
  }

  function parse(text) {
    try {
      const value = JSON.parse(text);
      return value && typeof value === 'object' ? value : null;
    } catch (e) {
      return null;
    }
  }

  function query(params) {
    const parts = [];
    for (const key of Object.keys(params)) {
      if (params[key] != null) parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(params[key]));
    }
    return parts.length ? '?' + parts.join('&') : '';
  }

  // Whether a JWT's `exp` has passed by this browser's clock (false when it has none or is unreadable).
  function expired(token) {
    try {
      const exp = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp;
      return typeof exp === 'number' && exp * 1000 <= Date.now();
    } catch (e) {
      return false;
    }
  }

  function withTimeout(promise, ms, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(hubError('timeout', what + ' timed out')), ms);
      promise.then(
        (value) => { clearTimeout(timer); resolve(value); },
        (error) => { clearTimeout(timer); reject(error); });
    });
  }

  // XHR rather than fetch: it has a timeout and an abort that work the same everywhere.
  function xhr(method, url, body, timeoutMs, done) {
    const req = new XMLHttpRequest();
    req.open(method, url);
    req.timeout = timeoutMs;
    if (body !== undefined) req.setRequestHeader('Content-Type', 'application/json');
    req.onload = () => done(req.status, parse(req.responseText), retryAfterMs(req));
    req.onerror = req.ontimeout = () => done(0, null);
    req.send(body === undefined ? null : JSON.stringify(body));
    return () => {
      req.onload = req.onerror = req.ontimeout = null;
      req.abort();
    };
  }

  // A node that cannot take a new client answers 503 with Retry-After (seconds): when to come back.
  function retryAfterMs(req) {
    const value = (req.getResponseHeader('Retry-After') || '').trim();
    return /^\d{1,5}$/.test(value) ? Number(value) * 1000 : 0;
  }

  // One JSONP request: a script tag calling a unique global `__hub_cb_N`. Returns a cancel function.
  function jsonp(url, timeoutMs, done) {
    const name = '__hub_cb_' + (++seq);
    const script = document.createElement('script');
    let timer = null;
    let finished = false;
    const finish = (ok, value) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      script.onerror = null;
      script.remove();
      if (ok) delete window[name];
      // A script that was already requested still runs once it arrives: leave a no-op behind.
      else window[name] = () => { delete window[name]; };
      if (done) done(ok, value);
    };
    window[name] = (value) => finish(true, value);
    script.onerror = () => finish(false, null);
    timer = setTimeout(() => finish(false, null), timeoutMs);
    script.async = true;
    script.src = url + (url.indexOf('?') < 0 ? '?' : '&') + 'callback=' + name;
    (document.head || document.documentElement).appendChild(script);
    return () => { done = null; finish(false, null); };
  }

  function afterLoad(fn) {
    // Script tags and iframes added before `load` would hold the page's load event
    // (and every test waiting for it) for a whole long-poll: start after it.
    if (typeof document === 'undefined' || document.readyState === 'complete') setTimeout(fn, 0);
    else window.addEventListener('load', () => setTimeout(fn, 0), {once: true});
  }

  /* ---------- transports ---------- */

  class Transport {
    constructor(client, name) {
      this.client = client;
      this.name = name;
      this.opened = false;     // set by the client on `welcome` (or a first poll answer)
      this.stopped = false;
      this.welcomed = false;   // the current connection/frame got its `welcome`
      this.silenceMs = 0;      // streams: how long silence may last
      this.silenceTimer = null;
      this.generation = 0;     // bumped on every (re)start, so stale callbacks do nothing
    }

    static supported() { return true; }

    url(path, extra) {
      const c = this.client;
      return c.endpoint(path) + query(Object.assign({channels: c.channels.join(',')}, c.credentials(), {since: c.cursor()}, extra));
    }

    start() {
      this.generation++;
      this.welcomed = false;
      this.startedAt = Date.now();
      this.open(this.generation);
      this.touch();
    }

    deliver(ev) {
      this.touch();
      this.client.receive(ev, this);
    }

    onWelcome() { this.welcomed = true; }

    touch() {
      if (!this.silenceMs || this.stopped) return;
      clearTimeout(this.silenceTimer);
      this.silenceTimer = setTimeout(() => this.silent(), this.silenceMs);
    }

    silent() { this.fail('no data for ' + this.silenceMs + ' ms'); }

    // A stream that ended after its `welcome` is replaced at once, resuming with `since`;
    // unless it lasted under a second: a server ending streams at once gets backoff, not a loop.
    recycle(reason) {
      if (this.welcomed && Date.now() - this.startedAt > 1000) this.restart();
      else this.fail(reason);
    }

    // `refused`: 'unauthorized' or 'forbidden' when the server said so (a status the transport can see).
    fail(reason, retryAfter, refused) {
      if (this.stopped) return;
      this.stop(false);
      this.retryAfter = retryAfter || 0;
      this.refused = refused || null;
      this.client.failed(this, reason);
    }

    stop(final) {
      this.stopped = true;
      clearTimeout(this.silenceTimer);
      this.release(final);
    }

    // HTTP transports have no upstream: a new channel list means a new request.
    restart() {
      this.release(false);
      this.start();
    }

    channelsChanged() { this.restart(); }

    send() { return false; }
  }

  class WebSocketTransport extends Transport {
    static supported() { return typeof WebSocket === 'function'; }

    open() {
      const c = this.client;
      this.channelsAtOpen = c.channels.slice();
      const ws = this.ws = new WebSocket(this.url('ws').replace(/^http/, 'ws'));
      ws.onmessage = (e) => {
        clearTimeout(this.pongTimer);
        this.pongTimer = null;
        const ev = parse(e.data); // one event, or (protocol v2) an array of those queued together
        if (Array.isArray(ev)) for (const one of ev) this.deliver(one);
        else if (ev) this.deliver(ev);
      };
      // 4001: the token expired (the session stays: a fresh token and `since` resume it).
      ws.onclose = (e) => this.fail('closed (' + e.code + ')', 0, e.code === 4001 ? 'unauthorized' : null);
    }

    onWelcome() {
      super.onWelcome();
      // Channels changed while the socket was opening: catch up now.
      const now = this.client.channels;
      for (const ch of now) if (!this.channelsAtOpen.includes(ch)) this.send({type: 'subscribe', channel: ch});
      for (const ch of this.channelsAtOpen) if (!now.includes(ch)) this.send({type: 'unsubscribe', channel: ch});
      // A timer that fires late (background tabs) only makes the check late, never wrong:
      // the deadline starts when the ping is actually sent.
      clearInterval(this.pinger);
      this.pinger = setInterval(() => {
        if (this.send({type: 'ping'}) && !this.pongTimer) {
          this.pongTimer = setTimeout(() => this.fail('no pong'), this.client.options.pongTimeout);
        }
      }, this.client.options.pingInterval);
    }

    channelsChanged(frame) {
      if (this.welcomed) this.send(frame);
    }

    send(frame) {
      if (!this.ws || this.ws.readyState !== 1) return false;
      this.ws.send(JSON.stringify(frame));
      return true;
    }

    release(final) {
      clearInterval(this.pinger);
      clearTimeout(this.pongTimer);
      this.pongTimer = null;
      const ws = this.ws;
      this.ws = null;
      if (!ws) return;
      ws.onmessage = ws.onclose = null;
      // 1000 = gone for good; 4000 = a drop we will resume from (the session stays).
      ws.close(final ? 1000 : 4000, final ? 'closed' : 'reconnecting');
    }
  }

  class PollTransport extends Transport {
    open(generation) {
      this.poll(generation, true);
    }

    poll(generation, first) {
      const c = this.client;
      // A session the node already knows gets no `welcome`: make the first poll of a
      // resumed session answer at once, so we learn quickly that the node is there.
      const timeout = first && c.id ? 0 : c.options.pollTimeout;
      this.request(timeout, (c.options.pollTimeout + c.options.pollMargin) * 1000, (ok, events, retryAfter, refused) => {
        if (generation !== this.generation || this.stopped) return;
        this.cancel = null;
        if (!ok || !Array.isArray(events)) {
          return this.fail(this.name + (retryAfter ? ' refused: node full' : refused ? ' refused: ' + refused : ' request failed'), retryAfter, refused);
        }
        if (!events.some((ev) => ev && ev.type === 'welcome')) c.opened(this);
        for (const ev of events) this.deliver(ev);
        if (generation === this.generation && !this.stopped) this.poll(generation, false);
      });
    }

    request(timeout, timeoutMs, done) {
      this.cancel = xhr('GET', this.url('poll', {timeout: timeout}), undefined, timeoutMs,
        (status, body, retryAfter) => done(status === 200, body, status === 503 ? retryAfter : 0, REFUSALS[status]));
    }

    release() {
      if (this.cancel) this.cancel();
      this.cancel = null;
    }
  }

  class JsonpTransport extends PollTransport {
    static supported() { return typeof document !== 'undefined'; }

    request(timeout, timeoutMs, done) {
      this.cancel = jsonp(this.url('jsonp', {timeout: timeout}), timeoutMs, done);
    }
  }

  class SseTransport extends Transport {
    static supported() { return typeof EventSource === 'function'; }

    open() {
      this.silenceMs = this.client.options.silenceTimeout;
      const es = this.es = new EventSource(this.url('sse'));
      const onData = (e) => {
        const ev = parse(e.data);
        if (ev) this.deliver(ev);
      };
      es.onmessage = onData;
      // In case the server names its events (`event: join`), which bypasses onmessage.
      for (const type of ['welcome', 'join', 'leave', 'presence', 'reset']) es.addEventListener(type, onData);
      // EventSource would reconnect on its own, but without backoff and with the URL's old
      // `since`: take over. CONNECTING means the stream ended or broke; CLOSED, it was refused.
      es.onerror = () => (es.readyState === 0 ? this.recycle('stream ended') : this.fail('stream refused'));
    }

    // The server's keep-alives are SSE comments, which EventSource never shows us. So
    // silence only means "maybe dead": open a fresh stream (resuming with `since`); if
    // that one fails or stays silent too, it is a real failure.
    silent() {
      this.recycle('no data for ' + this.silenceMs + ' ms');
    }

    release() {
      if (this.es) this.es.close();
      this.es = null;
    }
  }

  class IframeTransport extends Transport {
    static supported() { return typeof document !== 'undefined'; }

    open() {
      this.silenceMs = this.client.options.silenceTimeout;
      const name = this.callback = '__hub_if_' + (++seq);
      // Copy: the object was built in the iframe's realm, which we are about to discard.
      window[name] = (ev) => this.deliver(parse(JSON.stringify(ev)));
      const frame = this.frame = document.createElement('iframe');
      frame.style.display = 'none';
      frame.setAttribute('aria-hidden', 'true');
      frame.title = 'hub stream';
      // The server ends each page after 25 s or 64 KiB so the browser can free it;
      // `load` fires then and the next page resumes with `since`.
      frame.onload = () => this.recycle('iframe ended');
      frame.src = this.url('iframe', {callback: 'parent.' + name});
      (document.body || document.documentElement).appendChild(frame);
    }

    release() {
      if (this.frame) {
        this.frame.onload = null;
        this.frame.remove();
      }
      if (this.callback) delete window[this.callback];
      this.frame = this.callback = null;
    }
  }

  const TRANSPORTS = {
    websocket: WebSocketTransport,
    poll: PollTransport,
    jsonp: JsonpTransport,
    iframe: IframeTransport,
    sse: SseTransport,
  };

  /* ---------- the client ---------- */

  class Client {
    constructor(options) {
      const o = this.options = Object.assign({}, DEFAULTS, options);
      this.base = new URL(String(o.url).replace(/\/*$/, '/'), window ? window.location.href : undefined).href;
      this.channels = (o.channels || ['map']).slice();
      this.id = o.client || null;
      this.key = (this.id && o.key) || null;
      this.token = o.token || null;
      this.tokenStale = typeof o.getToken === 'function'; // ask before the first connect
      this.tokenAsked = null;    // the getToken call in flight (a Promise), shared by its askers
      this.resumeFailures = 0;   // resumes in a row that failed before their welcome
      this.lastId = o.since || null;
      // channel -> id of the last event of it seen ('' for none yet, from a welcome's cursor):
      // each channel has one order on every node, so these resume exactly on any node.
      this.positions = new Map();
      this.node = null;          // node serving the connection, from `welcome`
      this.transport = null;     // transport in use, from `welcome`
      this.status = 'connecting';
      this.reconnects = 0;       // connections re-established after a drop
      this.listeners = {};
      this.seen = new Set();
      this.seenOrder = [];
      this.pending = new Map();  // publish ref -> {resolve, reject}
      this.pings = [];
      this.readyWaiters = [];
      this.everOpened = false;
      this.conn = null;
      this.attempt = 0;
      this.retryTimer = null;
      this.openTimer = null;
      this.proven = null;        // the transport that worked, kept across reconnects
      this.openFailures = 0;
      const wanted = o.transport || 'auto';
      this.candidates = (wanted === 'auto' ? AUTO_ORDER : [wanted])
        .filter((name) => TRANSPORTS[name] && TRANSPORTS[name].supported());
      if (!this.candidates.length) throw hubError('bad_request', 'transport not available: ' + wanted);
      this.candidateIndex = 0;
      for (const key of Object.keys(o)) {
        if (/^on[A-Z]/.test(key) && typeof o[key] === 'function') this.on(key.charAt(2).toLowerCase() + key.slice(3), o[key]);
      }
      this.onOnline = () => this.retryNow();
      if (window) window.addEventListener('online', this.onOnline);
      afterLoad(() => {
        if (this.status === 'closed') return;
        this.emit('status', this.status);
        this.open();
      });
    }

    on(type, fn) {
      (this.listeners[type] = this.listeners[type] || []).push(fn);
      return this;
    }

    off(type, fn) {
      this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== fn);
      return this;
    }

    emit(type, ...args) {
      for (const fn of (this.listeners[type] || []).slice()) {
        try {
          fn.apply(this, args);
        } catch (e) {
          setTimeout(() => { throw e; }); // an application bug must not break delivery
        }
      }
    }

    endpoint(path) {
      return this.base + path;
    }

    /* connection life cycle */

    open() {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      if (this.tokenStale && typeof this.options.getToken === 'function') {
        this.freshToken().then(() => this.status !== 'closed' && !this.conn && this.open(), (e) => {
          if (this.status === 'closed') return;
          this.emit('error', hubError('unauthorized', 'getToken failed: ' + (e && e.message)));
          this.retryLater();
        });
        return;
      }
      const name = this.candidates[this.candidateIndex];
      const conn = this.conn = new TRANSPORTS[name](this, name);
      this.openTimer = setTimeout(() => conn.fail('no welcome within ' + this.options.openTimeout + ' ms'), this.options.openTimeout);
      try {
        conn.start();
      } catch (e) {
        setTimeout(() => conn.fail(e.message), 0);
      }
    }

    opened(conn) {
      if (conn !== this.conn || conn.opened) return;
      conn.opened = true;
      conn.openedAt = Date.now();
      clearTimeout(this.openTimer);
      this.proven = conn.name;
      this.openFailures = 0;
      this.resumeFailures = 0;
      if (this.status === 'reconnecting') this.reconnects++;
      this.transport = conn.name;
      this.everOpened = true;
      this.setStatus('open');
      for (const w of this.readyWaiters.splice(0)) w.resolve();
    }

    failed(conn, reason) {
      if (conn !== this.conn) return;
      clearTimeout(this.openTimer);
      this.conn = null;
      this.rejectInFlight(hubError('unavailable', 'connection lost: ' + reason));
      if (this.status === 'closed') return;
      this.checkCredentials(conn);
      if (conn.opened) {
        if (Date.now() - conn.openedAt > this.options.stableAfter) this.attempt = 0;
        this.setStatus('reconnecting', reason);
        return this.retryLater(conn.retryAfter);
      }
      // Refused by a full node (503 + Retry-After): the transport works, come back when told.
      if (conn.retryAfter) return this.retryLater(conn.retryAfter);
      // It never opened. Retry a transport that worked before a few times (the server
      // may just be restarting); otherwise, in auto mode, try the next one at once.
      if (conn.name === this.proven && ++this.openFailures < 3) return this.retryLater();
      this.proven = null;
      if (++this.candidateIndex < this.candidates.length) {
        this.retryTimer = setTimeout(() => this.open(), 0);
        return;
      }
      this.candidateIndex = 0;
      this.retryLater();
    }

    /** After a failed connection: whether to ask for a new token, or to give up a refused id and key. */
    checkCredentials(conn) {
      // Browsers hide why a WebSocket, EventSource, script or iframe failed: a connection that never
      // opened may have been refused for its token, so the next attempt takes a fresh one.
      const renewable = typeof this.options.getToken === 'function';
      if (conn.refused === 'unauthorized' || (renewable && (!conn.opened || expired(this.token)))) this.tokenStale = true;
      if (!this.id || !this.key) return;
      const opaqueFailure = !conn.opened && !conn.refused && !conn.retryAfter;
      if (conn.refused === 'forbidden' || (opaqueFailure && ++this.resumeFailures >= 3)) this.forgetIdentity();
    }

    /** The key was refused (a node without the shared hub.secret): a new id, resuming with `since`. */
    forgetIdentity() {
      this.id = null;
      this.key = null;
      this.resumeFailures = 0;
    }

    /** What identifies this client on a request: `token`, or `client` with its `key`. */
    credentials() {
      // With a token the id is the token's subject and welcome has no key: no client param needed.
      const sendId = this.id && (this.key || !this.token);
      return {client: sendId ? this.id : null, key: sendId ? this.key : null, token: this.token};
    }

    /** Asks getToken once (callers share the call in flight); resolves when this.token is fresh. */
    freshToken() {
      if (!this.tokenAsked) {
        this.tokenStale = false;
        const asked = this.tokenAsked = new Promise((resolve) => resolve(this.options.getToken())).then((token) => {
          if (typeof token !== 'string' || !token) throw new Error('no token');
          this.token = token;
        }).catch((e) => {
          this.tokenStale = true;
          throw e;
        }).finally(() => {
          if (this.tokenAsked === asked) this.tokenAsked = null;
        });
      }
      return this.tokenAsked;
    }

    retryLater(retryAfter) {
      // Exponential backoff with full jitter: spreads a crowd of clients after an outage.
      const cap = Math.min(this.options.backoffMax, this.options.backoffBase * Math.pow(2, this.attempt++));
      // A node that said Retry-After: not before it, and spread over as long again, so that a
      // crowd refused together does not come back together (behind nginx it may reach another node).
      const delay = retryAfter > 0 ? retryAfter * (1 + Math.random()) : Math.random() * cap;
      this.retryTimer = setTimeout(() => this.open(), delay);
    }

    retryNow() {
      if (this.retryTimer && this.status !== 'closed') this.open();
    }

    setStatus(status, detail) {
      if (status === this.status) return;
      this.status = status;
      this.emit('status', status, detail);
    }

    rejectInFlight(error) {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.pings = [];
    }

    /* events from the transports */

    receive(ev, conn) {
      if (conn !== this.conn || !ev || typeof ev !== 'object') return;
      switch (ev.type) {
        case 'welcome':
          // A welcome for another id (a new session) without a key (tokens, or an older server): no key.
          if (ev.client) this.key = ev.key || (ev.client === this.id ? this.key : null);
          this.id = ev.client || this.id;
          this.node = ev.node || null;
          // The subscription's cursor: positions for channels this client has seen nothing of yet.
          for (const item of String(ev.since || '').split('!')) {
            const at = item.indexOf('~');
            if (at > 0 && !this.positions.has(item.slice(0, at))) this.positions.set(item.slice(0, at), item.slice(at + 1));
          }
          conn.onWelcome(ev);
          this.opened(conn);
          this.emit('welcome', ev);
          return;
        case 'ack':
          return this.settle(ev.ref, null, ev.id);
        case 'pong':
          for (const resolve of this.pings.splice(0)) resolve();
          return;
        case 'error':
          if (ev.code === 'unauthorized') {
            // The token expired under a stream (which ends now): reconnect with a fresh one and `since`.
            this.tokenStale = true;
            if (ev.ref) this.settle(ev.ref, errorFrom(0, ev));
            this.emit('error', ev);
            return conn.fail('unauthorized: ' + (ev.message || 'token refused'), 0, 'unauthorized');
          }
          if (ev.ref && this.pending.has(ev.ref)) return this.settle(ev.ref, errorFrom(0, ev));
          return this.emit('error', ev);
        case 'reset':
          // The since we sent is useless now (too old or unknown): live events follow, and the
          // next reconnect must not ask for it again.
          this.lastId = null;
          if (ev.channel) this.positions.delete(ev.channel);
          this.emit('reset', ev);
          return this.emit('event', ev);
      }
      if (ev.id != null) {
        if (this.seen.has(ev.id)) return; // already delivered (a resume overlaps what we had)
        this.seen.add(ev.id);
        this.seenOrder.push(ev.id);
        if (this.seenOrder.length > this.options.dedupeSize) this.seen.delete(this.seenOrder.shift());
        this.lastId = ev.id;
        if (ev.channel) this.positions.set(ev.channel, ev.id);
      }
      this.emit(ev.type, ev);
      this.emit('event', ev);
    }

    /**
     * What to resume from (`since`): the position of each subscribed channel (`CHANNEL~ID` items
     * joined by `!`), or the last event id while no position is known (e.g. `since` given by the app).
     */
    cursor() {
      const items = [];
      for (const ch of this.channels) if (this.positions.has(ch)) items.push(ch + '~' + this.positions.get(ch));
      return items.length ? items.join('!') : this.lastId;
    }

    settle(ref, error, value) {
      const p = this.pending.get(ref);
      if (!p) return;
      this.pending.delete(ref);
      if (error) p.reject(error);
      else p.resolve(value);
    }

    /* application API */

    ready() {
      if (this.status === 'closed') return Promise.reject(hubError('closed', 'client closed'));
      if (this.everOpened) return Promise.resolve();
      return new Promise((resolve, reject) => this.readyWaiters.push({resolve, reject}));
    }

    publish(channel, data) {
      const ms = this.options.requestTimeout;
      return withTimeout(this.ready(), ms, 'publish').then(() => {
        if (this.conn && this.conn.opened && this.conn.name === 'websocket') {
          const ref = 'r' + (++seq);
          const acked = new Promise((resolve, reject) => this.pending.set(ref, {resolve, reject}));
          if (this.conn.send({type: 'publish', channel: channel, data: data, ref: ref})) {
            return withTimeout(acked, ms, 'publish').finally(() => this.pending.delete(ref));
          }
          this.pending.delete(ref);
        }
        // HTTP: also used by a WebSocket client while it reconnects.
        return this.publishHttp(channel, data, ms).catch((e) => {
          if (e.code !== 'unauthorized' || typeof this.options.getToken !== 'function') throw e;
          return this.freshToken().then(() => this.publishHttp(channel, data, ms)); // once, with a new token
        });
      });
    }

    publishHttp(channel, data, ms) {
      const who = this.credentials();
      return new Promise((resolve, reject) => {
        const done = (ok, body, status) => (ok && body && body.id != null ? resolve(body.id) : reject(errorFrom(status, body)));
        if (this.transport === 'jsonp') {
          const url = this.endpoint('jsonp/publish') + query(Object.assign({channel: channel}, who, {data: JSON.stringify(data)}));
          jsonp(url, ms, (ok, body) => done(ok, body, ok ? 200 : 0));
        } else {
          const body = {channel: channel, client: who.client || undefined, key: who.key || undefined, data: data};
          xhr('POST', this.endpoint('publish') + query({token: who.token}), body, ms,
            (status, answer) => done(status >= 200 && status < 300, answer, status));
        }
      });
    }

    // One page of a channel's members ({channel, count, clients, next}); pass `next` back as `after`.
    // Above the server's member cap a channel gets `presence` events ({data: {count}}) instead of
    // each join and leave; a join or leave after them means per-member events are back.
    presence(channel, page) {
      const p = page || {};
      const url = this.endpoint('presence') + query({channel: channel || this.channels[0], after: p.after, limit: p.limit,
        token: this.token});
      return new Promise((resolve, reject) => xhr('GET', url, undefined, this.options.requestTimeout,
        (status, body) => (status === 200 && body ? resolve(body) : reject(errorFrom(status, body)))));
    }

    // Round trip in ms, over an open WebSocket only.
    ping() {
      const sent = Date.now();
      if (!this.conn || !this.conn.send({type: 'ping'})) {
        return Promise.reject(hubError('unavailable', 'ping needs an open WebSocket'));
      }
      const pong = new Promise((resolve) => this.pings.push(resolve));
      return withTimeout(pong.then(() => Date.now() - sent), this.options.requestTimeout, 'ping');
    }

    subscribe(channel) {
      return this.changeChannels('subscribe', channel, !this.channels.includes(channel));
    }

    unsubscribe(channel) {
      return this.changeChannels('unsubscribe', channel, this.channels.includes(channel));
    }

    changeChannels(type, channel, changes) {
      if (!changes) return this;
      if (type === 'subscribe') this.channels.push(channel);
      else {
        this.channels = this.channels.filter((ch) => ch !== channel);
        this.positions.delete(channel);
      }
      if (this.conn && !this.conn.stopped) this.conn.channelsChanged({type: type, channel: channel});
      return this;
    }

    close() {
      if (this.status === 'closed') return;
      this.tokenAsked = null;
      clearTimeout(this.retryTimer);
      clearTimeout(this.openTimer);
      this.retryTimer = null;
      const conn = this.conn;
      this.conn = null;
      if (conn) conn.stop(true);
      if (window) window.removeEventListener('online', this.onOnline);
      this.setStatus('closed');
      const error = hubError('closed', 'client closed');
      this.rejectInFlight(error);
      for (const w of this.readyWaiters.splice(0)) w.reject(error);
    }

    // Test hook: behave as if the network dropped the connection, so that the
    // reconnect-and-resume path runs. Returns false when there was no connection.
    _dropConnection() {
      if (!this.conn) return false;
      this.conn.fail('connection dropped (test hook)');
      return true;
    }
  }

  return {
    connect: (options) => new Client(options || {}),
    Client: Client,
    transports: Object.keys(TRANSPORTS),
    version: 1,
  };
});
