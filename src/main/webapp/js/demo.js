/*
 * Live map demo: every participant shares a position on channel `map` every 2 s and
 * sees everyone's, live. Event data comes from other people: it only ever reaches the
 * page through textContent and setAttribute, never as markup.
 */
(function () {
  'use strict';

  const CHANNEL = 'map';
  const SHARE_EVERY = 2000;
  const TRANSPORTS = ['auto', 'websocket', 'sse', 'poll', 'iframe', 'jsonp'];
  const SVG = 'http://www.w3.org/2000/svg';
  const PAD = 44; // px kept clear around everyone on the map

  // A made-up town around the protocol's sample coordinates: simulated walks stay inside it.
  const TOWN = {south: 51.515, north: 51.545, west: 46.0, east: 46.06};
  const FEATURES = [
    {kind: 'park', name: 'Central Park', points: [[51.5405, 46.019], [51.5412, 46.031], [51.5352, 46.0335], [51.5343, 46.0215]]},
    {kind: 'park', name: 'Riverside Gardens', points: [[51.5215, 46.036], [51.5222, 46.0475], [51.5172, 46.049], [51.5165, 46.038]]},
    {kind: 'water', name: 'Mirror Lake', points: ellipse(51.5395, 46.0485, 0.0028, 0.0065)},
    {kind: 'river', name: 'River Hub', points: [[51.512, 45.95], [51.5205, 45.99], [51.5262, 46.008], [51.5268, 46.018],
      [51.5238, 46.03], [51.5252, 46.041], [51.5302, 46.05], [51.5296, 46.07], [51.536, 46.11]]},
    {kind: 'road', points: [[51.49, 46.0302], [51.57, 46.0302]]},
    {kind: 'road', points: [[51.5328, 45.95], [51.5328, 46.11]]},
    {kind: 'road', points: [[51.5, 45.985], [51.512, 46.004], [51.5195, 46.017], [51.5305, 46.0245], [51.5445, 46.0555], [51.56, 46.08]]},
    {kind: 'road', points: [[51.5185, 45.95], [51.5178, 46.028], [51.5195, 46.11]]},
    {kind: 'label', name: 'Old Town', points: [[51.5295, 46.0095]]},
    {kind: 'label', name: 'Harbour', points: [[51.5335, 46.0545]]},
  ];

  function ellipse(lat, lng, rLat, rLng) {
    const points = [];
    for (let a = 0; a < 360; a += 20) {
      const r = a * Math.PI / 180;
      points.push([lat + rLat * Math.sin(r) * (1 + 0.15 * Math.cos(3 * r)), lng + rLng * Math.cos(r)]);
    }
    return points;
  }

  /* ---------- page state ---------- */

  const params = new URLSearchParams(location.search);
  const requested = TRANSPORTS.includes(params.get('transport')) ? params.get('transport') : 'auto';
  const $ = (id) => document.getElementById(id);
  const el = {
    status: $('status'), transport: $('transport'), node: $('node'), clientId: $('client-id'),
    eps: $('events-per-second'), latency: $('latency'), reconnects: $('reconnects'), count: $('participant-count'),
    participants: $('participants'), activity: $('activity'), map: $('map'), base: $('map-base'), markers: $('map-markers'),
    select: $('transport-select'), name: $('name-input'), source: $('position-source'),
  };
  const participants = new Map(); // client id -> {id, name, lat, lng, transport, node, seen, item, marker}
  const stats = {delivered: [], latencies: [], latency: null, eventsPerSecond: 0};
  const position = {lat: null, lng: null, heading: Math.random() * 2 * Math.PI, source: 'simulated'};
  // On a big channel the hub sends a count (`presence` events) instead of each join and leave:
  // the page shows that count, and only the participants it has heard from.
  let memberCount = null;
  let name = (params.get('name') || '').slice(0, 40);
  let client = null;
  let lastError = null;
  let view = null;
  let W = 1000; // the map's size in px: the SVG's viewBox follows it, so text keeps its size on a phone
  let H = 625;

  /* ---------- connection ---------- */

  function baseUrl() {
    // The page's own folder (/hub/ directly or behind nginx): no absolute paths.
    return new URL('.', location.href).href.replace(/\/$/, '');
  }

  function connect(transport, clientId, since, key) {
    const c = Hub.connect({url: baseUrl(), transport: transport, channels: [CHANNEL], client: clientId || null,
      key: key || null, since: since || null});
    c.on('status', (status) => {
      if (c !== client) return;
      renderConnection();
      if (status === 'reconnecting') log('status', 'Connection lost, reconnecting…');
      if (status === 'open') {
        log('status', (c.reconnects ? 'Reconnected to ' : 'Connected to ') + (c.node || 'the hub') + ' via ' + c.transport);
        loadPresence();
        share();
      }
    });
    // Streams are recycled (and may land on another node) without a change of status.
    c.on('welcome', () => c === client && renderConnection());
    c.on('message', onMessage);
    c.on('join', onJoin);
    c.on('leave', onLeave);
    c.on('presence', onCount);
    c.on('reset', () => {
      log('reset', 'History gap: reloading participants');
      loadPresence(true);
    });
    c.on('error', (ev) => log('error', 'Server error: ' + ev.code + (ev.message ? ' (' + ev.message + ')' : '')));
    c.on('event', countEvent);
    return c;
  }

  function switchTransport(transport) {
    const previous = client;
    client = null;
    const id = previous ? previous.id : null;
    // Resume after the last event seen: a join, leave or position sent while the new transport
    // connects would otherwise be lost (a missed leave left a participant on the map for good).
    const since = previous ? previous.lastId : null;
    const key = previous ? previous.key : null; // the id's resume key: without it the id is refused
    if (previous) previous.close();
    client = connect(transport, id, since, key);
    demo.client = client;
    params.set('transport', transport);
    history.replaceState(null, '', '?' + params.toString());
    log('status', 'Switching to ' + transport);
    renderConnection();
  }

  function loadPresence(prune) {
    const c = client;
    c.presence(CHANNEL).then((answer) => {
      if (c !== client || !answer || !Array.isArray(answer.clients)) return;
      // A first page only: a big channel is shown by its count.
      memberCount = Number.isFinite(answer.count) && answer.count > answer.clients.length ? answer.count : null;
      const present = new Set();
      for (const p of answer.clients) {
        if (!p || typeof p.client !== 'string') continue;
        present.add(p.client);
        upsert(p.client, {transport: p.transport, node: p.node});
      }
      if (prune) for (const id of participants.keys()) if (!present.has(id) && id !== c.id) remove(id);
    }).catch(() => { /* presence is a nicety: positions arrive with the next messages anyway */ });
  }

  /* ---------- events ---------- */

  function onMessage(ev) {
    const d = ev.data;
    if (typeof ev.from !== 'string' || !d || typeof d !== 'object') return;
    const update = {transport: text(d.transport), node: text(d.node), name: text(d.name)};
    if (Number.isFinite(d.lat) && Number.isFinite(d.lng) && Math.abs(d.lat) <= 90 && Math.abs(d.lng) <= 180) {
      update.lat = d.lat;
      update.lng = d.lng;
    }
    upsert(ev.from, update);
    if (Number.isFinite(ev.ts)) {
      stats.latencies.push(Math.max(0, Date.now() - ev.ts));
      if (stats.latencies.length > 50) stats.latencies.shift();
    }
  }

  function onCount(ev) {
    if (ev.channel !== CHANNEL || !ev.data || !Number.isFinite(ev.data.count)) return;
    memberCount = ev.data.count;
    scheduleRender();
  }

  /** A join or leave after counts: the channel is small again, reload who is on it. */
  function perMemberAgain() {
    if (memberCount == null) return;
    memberCount = null;
    loadPresence(true);
  }

  function onJoin(ev) {
    perMemberAgain();
    const d = ev.data || {};
    if (typeof d.client !== 'string') return;
    const known = participants.has(d.client);
    upsert(d.client, {transport: text(d.transport)});
    if (!known) log('join', who(d.client) + ' joined via ' + (text(d.transport) || '?'), d.client);
  }

  function onLeave(ev) {
    perMemberAgain();
    const d = ev.data || {};
    if (typeof d.client !== 'string') return;
    log('leave', who(d.client) + ' left', d.client);
    remove(d.client);
  }

  function countEvent() {
    stats.delivered.push(Date.now());
  }

  function text(value) {
    return typeof value === 'string' ? value.slice(0, 40) : null;
  }

  function who(id) {
    const p = participants.get(id);
    const label = p && p.name ? p.name + ' (' + id + ')' : id;
    return client && id === client.id ? 'You (' + label + ')' : label;
  }

  /* ---------- participants ---------- */

  function upsert(id, update) {
    let p = participants.get(id);
    if (!p) {
      p = {id: id, name: null, lat: null, lng: null, transport: null, node: null, seen: Date.now()};
      participants.set(id, p);
      p.item = listItem(p);
      el.participants.appendChild(p.item);
    }
    for (const key of Object.keys(update)) if (update[key] != null) p[key] = update[key];
    p.seen = Date.now();
    scheduleRender();
  }

  function remove(id) {
    const p = participants.get(id);
    if (!p) return;
    participants.delete(id);
    p.item.remove();
    if (p.marker) p.marker.remove();
    scheduleRender();
  }

  function listItem(p) {
    const li = document.createElement('li');
    li.setAttribute('data-client', p.id);
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour(p.id);
    const body = document.createElement('div');
    const title = document.createElement('strong');
    const meta = document.createElement('span');
    meta.className = 'meta';
    body.append(title, meta);
    li.append(swatch, body);
    return li;
  }

  function colour(id) {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
    return 'hsl(' + (h % 360) + ', 65%, 45%)';
  }

  /* ---------- rendering ---------- */

  let renderTimer = null;

  function scheduleRender() {
    // A timer, not requestAnimationFrame: it keeps the DOM (which tests read) current in background tabs.
    if (!renderTimer) renderTimer = setTimeout(render, 50);
  }

  function render() {
    renderTimer = null;
    const me = client && client.id;
    const box = el.map.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && (Math.round(box.width) !== W || Math.round(box.height) !== H)) {
      W = Math.round(box.width);
      H = Math.round(box.height);
      el.map.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    }
    const v = fitView();
    if (!view || v.key !== view.key) {
      view = v;
      drawBase();
    }
    for (const p of participants.values()) {
      const self = p.id === me;
      const label = p.name || p.id;
      const meta = [p.transport || '?', p.node || '?'].join(' · ');
      const li = p.item;
      li.classList.toggle('self', self);
      setData(li, {lat: p.lat, lng: p.lng, transport: p.transport, node: p.node, name: p.name, self: self ? 'true' : null});
      li.querySelector('strong').textContent = self ? label + ' (you)' : label;
      li.querySelector('.meta').textContent = meta + (p.lat == null ? ' · waiting for position' : ' · ' + p.lat.toFixed(4) + ', ' + p.lng.toFixed(4));
      if (p.lat == null) continue;
      if (!p.marker) p.marker = marker(p);
      const [x, y] = project(p.lat, p.lng);
      p.marker.style.transform = 'translate(' + x.toFixed(1) + 'px,' + y.toFixed(1) + 'px)';
      p.marker.classList.toggle('self', self);
      const flip = x > W - 170 && x > W / 2; // near the right edge, labels go left of the dot
      for (const [cls, value] of [['.label', label], ['.sub', meta]]) {
        const t = p.marker.querySelector(cls);
        t.textContent = value;
        t.setAttribute('x', flip ? -12 : 12);
        t.setAttribute('text-anchor', flip ? 'end' : 'start');
      }
    }
    el.count.textContent = memberCount != null ? memberCount.toLocaleString('en') + ' (count)' : String(participants.size);
  }

  function setData(node, values) {
    for (const key of Object.keys(values)) {
      if (values[key] == null) node.removeAttribute('data-' + key);
      else node.setAttribute('data-' + key, String(values[key]));
    }
  }

  function svg(tag, attrs, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const key of Object.keys(attrs || {})) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function marker(p) {
    const g = svg('g', {class: 'marker', 'data-marker': p.id});
    g.style.setProperty('--c', colour(p.id));
    svg('circle', {class: 'halo', r: 14}, g);
    svg('circle', {class: 'dot', r: 7}, g);
    svg('text', {class: 'label', y: -8}, g);
    svg('text', {class: 'sub', y: 7}, g);
    el.markers.appendChild(g);
    return g;
  }

  // The view: the town, grown to take in everyone (real positions may be anywhere).
  function fitView() {
    let {south, north, west, east} = TOWN;
    for (const p of participants.values()) {
      if (p.lat == null) continue;
      south = Math.min(south, p.lat);
      north = Math.max(north, p.lat);
      west = Math.min(west, p.lng);
      east = Math.max(east, p.lng);
    }
    const midLat = (south + north) / 2;
    const k = Math.cos(midLat * Math.PI / 180);
    const scale = Math.min((W - 2 * PAD) / ((east - west) * k || 1e-6), (H - 2 * PAD) / ((north - south) || 1e-6));
    // Round so that small moves inside the town do not redraw the base map.
    const key = [south, north, west, east].map((n) => n.toFixed(3)).concat(W, H).join();
    return {midLat: midLat, midLng: (west + east) / 2, k: k, scale: scale, key: key};
  }

  function project(lat, lng) {
    return [W / 2 + (lng - view.midLng) * view.k * view.scale, H / 2 - (lat - view.midLat) * view.scale];
  }

  function drawBase() {
    const base = el.base;
    base.replaceChildren();
    svg('rect', {class: 'land', width: W, height: H}, base);
    const path = (points, close) => points.map((pt, i) => (i ? 'L' : 'M') + project(pt[0], pt[1]).map((n) => n.toFixed(1)).join(' ')).join('') + (close ? 'Z' : '');
    const metresPx = view.scale / 111320;
    for (const f of FEATURES) {
      if (f.kind === 'park' || f.kind === 'water') svg('path', {class: f.kind, d: path(f.points, true)}, base);
      if (f.kind === 'river') svg('path', {class: 'river', d: path(f.points), 'stroke-width': Math.max(2, 140 * metresPx)}, base);
      if (f.kind === 'road') {
        svg('path', {class: 'road-casing', d: path(f.points), 'stroke-width': Math.max(1.5, 45 * metresPx)}, base);
        svg('path', {class: 'road', d: path(f.points), 'stroke-width': Math.max(1, 32 * metresPx)}, base);
      }
    }
    if (metresPx <= 0.04) {
      // Zoomed out (someone is far away): the town is too small to draw, so mark where it is.
      const [x, y] = project((TOWN.south + TOWN.north) / 2, (TOWN.west + TOWN.east) / 2);
      svg('circle', {class: 'town', cx: x, cy: y, r: 18}, base);
    } else {
      for (const f of FEATURES) {
        if (!f.name || f.kind === 'road') continue;
        const pts = f.points;
        const lat = pts.reduce((s, pt) => s + pt[0], 0) / pts.length;
        const lng = pts.reduce((s, pt) => s + pt[1], 0) / pts.length;
        const [x, y] = project(lat, lng);
        svg('text', {class: 'place place-' + f.kind, x: x, y: y}, base).textContent = f.name;
      }
    }
    drawGraticule(base);
    drawScale(base, metresPx);
  }

  function niceStep(span, lines) {
    const raw = span / lines;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
    return 10 * mag;
  }

  function drawGraticule(base) {
    const g = svg('g', {class: 'graticule'}, base);
    const latSpan = H / view.scale;
    const lngSpan = W / (view.scale * view.k);
    const top = view.midLat + latSpan / 2;
    const left = view.midLng - lngSpan / 2;
    const latStep = niceStep(latSpan, Math.max(3, Math.round(H / 110)));
    const lngStep = niceStep(lngSpan, Math.max(3, Math.round(W / 130)));
    const digits = (step) => Math.max(0, -Math.floor(Math.log10(step)));
    for (let lat = Math.ceil((top - latSpan) / latStep) * latStep; lat <= top; lat += latStep) {
      const y = project(lat, view.midLng)[1];
      svg('line', {x1: 0, x2: W, y1: y, y2: y}, g);
      svg('text', {x: 6, y: y - 4}, g).textContent = Math.abs(lat).toFixed(digits(latStep)) + '°' + (lat < 0 ? 'S' : 'N');
    }
    for (let lng = Math.ceil(left / lngStep) * lngStep; lng <= left + lngSpan; lng += lngStep) {
      const x = project(view.midLat, lng)[0];
      svg('line', {x1: x, x2: x, y1: 0, y2: H}, g);
      if (x > W - 70) continue; // its label would be cut off at the edge, under the north arrow
      svg('text', {x: x + 4, y: 16}, g).textContent = Math.abs(lng).toFixed(digits(lngStep)) + '°' + (lng < 0 ? 'W' : 'E');
    }
  }

  function drawScale(base, metresPx) {
    const target = Math.min(140, W / 3) / metresPx;
    const mag = Math.pow(10, Math.floor(Math.log10(target)));
    const metres = [5, 2, 1].map((m) => m * mag).find((m) => m <= target);
    const len = metres * metresPx;
    const g = svg('g', {class: 'scale', transform: 'translate(24,' + (H - 28) + ')'}, base);
    svg('rect', {class: 'scale-bg', x: -8, y: -22, width: len + 16, height: 34, rx: 6}, g);
    svg('path', {d: 'M0 -6V4H' + len.toFixed(1) + 'V-6'}, g);
    svg('text', {x: 0, y: -10}, g).textContent = metres >= 1000 ? metres / 1000 + ' km' : metres + ' m';
    const n = svg('g', {class: 'north', transform: 'translate(' + (W - 34) + ',46)'}, base);
    svg('path', {d: 'M0 -18L8 8L0 3L-8 8Z'}, n);
    svg('text', {x: 0, y: 24}, n).textContent = 'N';
  }

  function renderConnection() {
    const c = client;
    const status = c ? c.status : 'closed';
    el.status.textContent = status;
    el.status.setAttribute('data-status', status);
    el.transport.textContent = c && c.transport ? c.transport : '–';
    el.node.textContent = c && c.node ? c.node : '–';
    el.clientId.textContent = c && c.id ? c.id : '–';
    el.reconnects.textContent = String(c ? c.reconnects : 0);
    if (c && c.transport) document.documentElement.setAttribute('data-transport', c.transport);
  }

  function renderStats() {
    const now = Date.now();
    while (stats.delivered.length && stats.delivered[0] < now - 5000) stats.delivered.shift();
    stats.eventsPerSecond = stats.delivered.length / 5;
    el.eps.textContent = stats.eventsPerSecond.toFixed(1);
    const l = stats.latencies;
    stats.latency = l.length ? Math.round(l.reduce((a, b) => a + b, 0) / l.length) : null;
    el.latency.textContent = stats.latency == null ? '–' : String(stats.latency);
    for (const p of participants.values()) if (p.marker) p.marker.classList.toggle('stale', now - p.seen > 10000);
    renderConnection();
  }

  /* ---------- activity ---------- */

  function log(type, message, clientId) {
    const li = document.createElement('li');
    li.setAttribute('data-type', type);
    if (clientId) li.setAttribute('data-client', clientId);
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString([], {hour12: false});
    li.append(time, document.createTextNode(message));
    el.activity.prepend(li);
    while (el.activity.children.length > 60) el.activity.lastElementChild.remove();
  }

  /* ---------- position ---------- */

  function startPosition() {
    position.lat = TOWN.south + (0.2 + Math.random() * 0.6) * (TOWN.north - TOWN.south);
    position.lng = TOWN.west + (0.2 + Math.random() * 0.6) * (TOWN.east - TOWN.west);
    const headless = navigator.webdriver || /Headless/.test(navigator.userAgent);
    const mode = params.get('position'); // 'sim' or 'geo' to force either
    if (mode === 'sim' || (headless && mode !== 'geo') || !navigator.geolocation) return showSource();
    // Until (and unless) a real fix arrives the walk goes on, so a denied prompt, an error
    // or no answer at all simply leaves the simulation running.
    navigator.geolocation.watchPosition((fix) => {
      position.lat = fix.coords.latitude;
      position.lng = fix.coords.longitude;
      position.source = 'geolocation';
      showSource();
    }, () => {
      position.source = 'simulated';
      showSource();
    }, {enableHighAccuracy: false, maximumAge: 5000, timeout: 2000});
    showSource();
  }

  function showSource() {
    el.source.textContent = position.source === 'geolocation' ? 'position: your device' : 'position: simulated walk';
  }

  function walk() {
    // About 40 m per step, turning gently, bouncing off the edge of town.
    position.heading += (Math.random() - 0.5) * 0.8;
    const step = 0.00036;
    let lat = position.lat + Math.cos(position.heading) * step;
    let lng = position.lng + Math.sin(position.heading) * step / Math.cos(lat * Math.PI / 180);
    if (lat < TOWN.south || lat > TOWN.north || lng < TOWN.west || lng > TOWN.east) {
      position.heading += Math.PI;
      lat = Math.min(TOWN.north, Math.max(TOWN.south, lat));
      lng = Math.min(TOWN.east, Math.max(TOWN.west, lng));
    }
    position.lat = lat;
    position.lng = lng;
  }

  function share() {
    const c = client;
    if (!c || c.status !== 'open') return Promise.resolve(null);
    const data = {
      lat: Math.round(position.lat * 1e6) / 1e6,
      lng: Math.round(position.lng * 1e6) / 1e6,
      name: name,
      transport: c.transport,
      node: c.node,
    };
    return c.publish(CHANNEL, data).then((id) => {
      lastError = null;
      return id;
    }, (error) => {
      const message = 'Publish failed: ' + (error.code || error.message);
      if (c === client && message !== lastError && c.status === 'open') log('error', message);
      lastError = message;
      return null;
    });
  }

  /* ---------- start ---------- */

  el.select.value = requested;
  el.name.value = name;
  el.select.addEventListener('change', () => switchTransport(el.select.value));
  el.name.addEventListener('input', () => {
    name = el.name.value.slice(0, 40);
    if (name) params.set('name', name);
    else params.delete('name');
    history.replaceState(null, '', '?' + params.toString());
  });
  document.getElementById('controls').addEventListener('submit', (e) => e.preventDefault());
  // Leave cleanly, so that others see `leave` at once rather than after a timeout;
  // come back if the browser restores the page from its back/forward cache.
  window.addEventListener('pagehide', () => client && client.close());
  window.addEventListener('pageshow', (e) => e.persisted && switchTransport(el.select.value));

  const demo = window.demo = {
    client: null,
    participants: participants,
    stats: stats,
    position: position,
    share: share,
    switchTransport: switchTransport,
  };

  startPosition();
  if (window.ResizeObserver) new ResizeObserver(scheduleRender).observe(el.map);
  scheduleRender();
  client = connect(requested);
  demo.client = client;
  renderConnection();
  log('status', 'Connecting via ' + requested + '…');
  setInterval(() => {
    if (position.source === 'simulated') walk();
    share();
  }, SHARE_EVERY);
  setInterval(renderStats, 500);
})();
