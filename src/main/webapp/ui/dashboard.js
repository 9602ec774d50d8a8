// raftkv dashboard: polls this node's GET /cluster/status and /metrics?scope=application every second.
// /cluster/status is gathered by the node serving the page (each member's own GET /cluster, docs/api.md
// "Cluster"), because a page may only call its own origin (no CORS). No build step, no external library.
// With tokens on (docs/security.md "Dashboard"), the token typed into the page is kept in this tab's
// sessionStorage (gone when the tab closes, never in a cookie) and sent as a bearer token on every call;
// the node passes it on to the members it asks.
"use strict";
const POLL_MS = 1000;
const changes = [];
let lastLeader;
let lastRequests;

const TOKEN_KEY = "raftkv.token";

// fetch with the tab's bearer token, if one was given.
function api(url, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = Object.assign({}, options.headers);
  if (token) headers.Authorization = "Bearer " + token;
  return fetch(url, Object.assign({}, options, { headers }));
}

// An answer that is not 2xx becomes an error naming the API's error JSON (401: give a token).
async function ok(answer) {
  if (answer.ok) return answer;
  let detail = "";
  try { const e = await answer.json(); detail = e.error + (e.detail ? ": " + e.detail : ""); } catch (ignored) { /* not JSON */ }
  throw new Error(answer.status + " " + detail + (answer.status === 401 ? " (enter a token above)" : ""));
}

function text(id, value) { document.getElementById(id).textContent = value; }

function cell(row, value) { row.insertCell().textContent = value === undefined || value === null ? "" : value; }

// 1536 -> "1.5 KiB"; the members' disk use (dataBytes).
function bytes(n) {
  if (n === undefined || n === null || n < 0) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
  return (unit === 0 ? n : n.toFixed(1)) + " " + units[unit];
}

// Each member's own figures; lag is the highest commit index among the reachable members minus the
// member's applied index (computed by the node, docs/api.md "Cluster").
function showMembers(status) {
  const body = document.querySelector("#members tbody");
  body.replaceChildren();
  for (const m of status.members) {
    const row = body.insertRow();
    row.id = "member-" + m.id;
    row.className = !m.reachable ? "unreachable" : m.role === "leader" ? "leader" : "";
    [m.id, m.role, m.http, m.term, m.commitIndex, m.appliedIndex, m.lag, m.snapshotIndex, m.logEntries,
     bytes(m.dataBytes), m.reachable ? "reachable" : "unreachable: " + m.error].forEach(v => cell(row, v));
  }
}

function showCluster(status) {
  text("node", "node " + status.self);
  text("leader", status.leader === null || status.leader === undefined ? "none" : status.leader);
  text("term", status.term);
  showMembers(status);
  const self = status.members.find(m => m.id === status.self) || {}; // absent on a node not (yet) a member
  const local = document.querySelector("#local tbody");
  local.replaceChildren();
  for (const f of ["membership", "commitIndex", "appliedIndex", "snapshotIndex", "logFirstIndex", "logLastIndex",
                   "logEntries", "snapshotsInstalled", "dataBytes"]) {
    const row = local.insertRow();
    cell(row, f);
    cell(row, f === "dataBytes" && self[f] !== undefined ? self[f] + " (" + bytes(self[f]) + ")" : self[f]);
  }
  if (status.leader !== lastLeader) {
    lastLeader = status.leader;
    changes.unshift(new Date().toISOString() + ": leader " + (status.leader ?? "none") + " (term " + status.term + ")");
    changes.length = Math.min(changes.length, 50);
    document.getElementById("changes").replaceChildren(...changes.map(c => {
      const li = document.createElement("li");
      li.textContent = c;
      return li;
    }));
  }
}

// Prometheus text: requests/s from raftkv_api_request_seconds_count (all ops) between two polls;
// p99 the largest per-op quantile 0.99 (printed in nanoseconds, docs/operations.md "Metrics").
function showMetrics(prometheus, now) {
  let count = 0, p99 = 0;
  for (const line of prometheus.split("\n")) {
    const m = line.match(/^raftkv_api_request_seconds(_count)?\{([^}]*)\}\s+(\S+)/);
    if (!m) continue;
    if (m[1]) count += Number(m[3]);
    else if (m[2].includes('quantile="0.99"')) p99 = Math.max(p99, Number(m[3]) / 1e6);
  }
  if (lastRequests) text("reqs", ((count - lastRequests.count) * 1000 / (now - lastRequests.at)).toFixed(1));
  lastRequests = { count, at: now };
  text("p99", p99.toFixed(2));
}

async function poll() {
  try {
    const answer = await ok(await api("../cluster/status", { cache: "no-store" }));
    showCluster(await answer.json());
    const metrics = await api("../metrics?scope=application", { cache: "no-store" });
    if (metrics.ok) showMetrics(await metrics.text(), Date.now());
    text("updated", new Date().toLocaleTimeString());
    text("error", "");
  } catch (e) {
    text("error", (e instanceof TypeError ? "node unreachable: " : "") + e.message);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function keyUrl(key) { return "../kv/" + key.split("/").map(encodeURIComponent).join("/"); }

async function search(event) {
  if (event) event.preventDefault();
  const prefix = document.getElementById("prefix").value;
  const answer = await (await ok(await api("../kv?limit=100&prefix=" + encodeURIComponent(prefix)))).json();
  const body = document.querySelector("#keys tbody");
  body.replaceChildren();
  for (const item of answer.items || []) {
    const row = body.insertRow();
    [item.key, item.value, item.revision].forEach(v => cell(row, v));
    const button = document.createElement("button");
    button.textContent = "delete";
    button.onclick = async () => { await ok(await api(keyUrl(item.key), { method: "DELETE" })); search(); };
    row.insertCell().appendChild(button);
  }
}

async function put(event) {
  event.preventDefault();
  const key = document.getElementById("put-key").value;
  const value = document.getElementById("put-value").value;
  await ok(await api(keyUrl(key), { method: "PUT", body: JSON.stringify({ value }) }));
  search();
}

function useToken(event) {
  event.preventDefault();
  const field = document.getElementById("token");
  if (field.value.trim()) sessionStorage.setItem(TOKEN_KEY, field.value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
  field.value = "";
  text("token-state", sessionStorage.getItem(TOKEN_KEY) ? "token set for this tab" : "no token");
}

document.getElementById("auth").addEventListener("submit", useToken);
text("token-state", sessionStorage.getItem(TOKEN_KEY) ? "token set for this tab" : "no token");
document.getElementById("search").addEventListener("submit", search);
document.getElementById("put").addEventListener("submit", put);
poll();
