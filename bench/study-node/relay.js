'use strict';
// The study's home-made relay: every server connects to it over TCP and sends each event it
// accepts as one line; the relay sends every complete line to every connected server (the
// sender included, which is how a server learns that its event went out). No persistence, no
// acknowledgement, no replay: a server that is not connected misses what passes meanwhile.
//
//   RELAY_PORT=9185 node relay.js
const net = require('net');

const port = Number(process.env.RELAY_PORT || 9185);
const servers = new Set();

const relay = net.createServer((socket) => {
  socket.setNoDelay(true);
  servers.add(socket);
  let partial = null; // the start of a line whose end has not arrived yet
  socket.on('data', (chunk) => {
    const data = partial ? Buffer.concat([partial, chunk]) : chunk;
    const end = data.lastIndexOf(10); // '\n'
    if (end < 0) {
      partial = data;
      return;
    }
    partial = end === data.length - 1 ? null : data.subarray(end + 1);
    // only whole lines go out, so lines from two servers never interleave
    const lines = end === data.length - 1 ? data : data.subarray(0, end + 1);
    for (const server of servers) {
      server.write(lines);
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => servers.delete(socket));
});

relay.listen(port, '127.0.0.1', () => console.log(`relay: listening on 127.0.0.1:${port}`));
