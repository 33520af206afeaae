// The reference: a room relay that neither validates nor persists. Every text message
// a client sends goes to every client connected on the same path, the sender included
// (as our server's broadcast does). Usage: node relay.mjs <port>
import { WebSocketServer } from "ws";

const port = Number(process.argv[2] ?? 8765);
const rooms = new Map();
const server = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });

server.on("connection", (socket, request) => {
  const room = rooms.get(request.url) ?? new Set();
  rooms.set(request.url, room);
  room.add(socket);
  socket.on("message", (data, isBinary) => {
    for (const peer of room) if (peer.readyState === 1) peer.send(data, { binary: isBinary });
  });
  socket.on("close", () => room.delete(socket));
});
server.on("listening", () => console.log(`relay listening on ${port}`));
