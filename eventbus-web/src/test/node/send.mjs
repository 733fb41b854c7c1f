// Publishes two events to the ingestion endpoint with the CloudEvents JavaScript SDK, one in
// binary and one in structured mode: node send.mjs <url> <user> <password>
import { CloudEvent, HTTP } from "cloudevents";

const [url, user, password] = process.argv.slice(2);
const authorization = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");

const events = [
  ["binary", new CloudEvent({
    id: "js-binary-1",
    source: "urn:partner:js",
    type: "order.imported",
    subject: "order-js-1",
    datacontenttype: "application/json",
    data: { amount: 12 },
    priority: 5,
  })],
  ["structured", new CloudEvent({
    id: "js-structured-1",
    source: "urn:partner:js",
    type: "note.imported",
    datacontenttype: "text/plain",
    data: "hello from js",
    priority: 7,
    urgent: true,
  })],
];

for (const [mode, event] of events) {
  const message = mode === "binary" ? HTTP.binary(event) : HTTP.structured(event);
  const response = await fetch(url, {
    method: "POST",
    headers: { ...message.headers, Authorization: authorization },
    body: message.body,
  });
  console.log(`${mode} ${response.status} ${await response.text()}`);
  if (response.status !== 202) {
    process.exitCode = 1;
  }
}
