// Runs the reference Standard Webhooks library for WebhookNpmCrossCheckTest.
// Reads a JSON array of requests on stdin and writes a JSON array of answers on stdout:
//   {"op":"sign","secret":"whsec_...","id":"msg_1","timestamp":1700000000,"body":"<base64>"}
//     -> {"signature":"v1,..."}
//   {"op":"verify","secret":"whsec_...","headers":{...},"body":"<base64>"}
//     -> {"ok":true} or {"ok":false,"error":"<message of the library>"}
// Secrets arrive on stdin, not as arguments, so they never show in a process listing.
"use strict";
const { Webhook } = require("standardwebhooks");

function answer(request) {
  const wh = new Webhook(request.secret);
  const body = Buffer.from(request.body, "base64");
  switch (request.op) {
    case "sign":
      return { signature: wh.sign(request.id, new Date(request.timestamp * 1000), body) };
    case "verify":
      try {
        wh.verify(body, request.headers, { jsonParse: false });
        return { ok: true };
      } catch (e) {
        return { ok: false, error: String(e.message) };
      }
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
});
process.stdin.on("end", () => {
  const requests = JSON.parse(input);
  process.stdout.write(`${JSON.stringify(requests.map(answer))}\n`);
});
