// Real-time clients of two application instances, with @stomp/stompjs over the ws package:
// node stomp-clients.mjs <ws url of instance a> <ws url of instance b>
// A client is ready when it got its first broadcast of type "warmup" (the test sends them until
// it reads READY; they are not recorded), or an error. Prints READY once every client is, then,
// after SETTLE ms without a new message (or 20 s), one JSON line: what each client received, and
// the errors the refused ones got.
import { Client } from "@stomp/stompjs";
import WebSocket from "ws";

const [urlA, urlB] = process.argv.slice(2);
const SETTLE_MS = 1500;
const received = {};
const errors = {};
let lastMessage = 0;

function connect(name, url, user, destinations) {
  received[name] = [];
  const headers = user ? { Authorization: "Basic " + Buffer.from(`${user}:secret`).toString("base64") } : {};
  return new Promise((resolve) => {
    const client = new Client({
      webSocketFactory: () => new WebSocket(url, { headers }),
      reconnectDelay: 0,
      onConnect: () => {
        destinations.forEach((destination) => {
          client.subscribe(destination, (message) => {
            const event = JSON.parse(message.body);
            if (event.type === "warmup") {
              resolve(client);
              return;
            }
            received[name].push(`${destination} ${event.type} ${JSON.stringify(event.data)}`);
            lastMessage = Date.now();
          });
        });
      },
      onStompError: (frame) => {
        errors[name] = frame.headers.message;
        resolve(client);
      },
      onWebSocketClose: (event) => {
        // a refusal closes the connection (1002), sometimes before the ERROR frame is read
        errors[name] = errors[name] || `closed ${event.code}`;
        resolve(client);
      },
    });
    client.activate();
  });
}

const clients = await Promise.all([
  connect("alice", urlA, "alice", ["/topic/rooms/r1", "/user/queue/events", "/topic/broadcast"]),
  connect("carol", urlB, "carol", ["/topic/rooms/r1", "/user/queue/events", "/topic/broadcast"]),
  connect("bob", urlB, "bob", ["/topic/rooms/r2", "/user/queue/events", "/topic/broadcast"]),
  connect("dave", urlA, "dave", ["/topic/rooms/secret", "/topic/broadcast"]),
  connect("anonymous", urlA, null, ["/topic/broadcast"]),
]);
console.log("READY");

const started = Date.now();
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const quiet = lastMessage > 0 && Date.now() - lastMessage > SETTLE_MS;
    if (quiet || Date.now() - started > 20000) {
      clearInterval(timer);
      resolve();
    }
  }, 100);
});
console.log(JSON.stringify({ received, errors }));
await Promise.all(clients.map((client) => client.deactivate()));
process.exit(0);
