// The service worker of visits (served as /responses/visit-sw.js, so its scope is /responses/):
// it keeps the page of a visit and the files it loads, so that district staff can open it in a
// school's library without a connection. The answers themselves are fill.js's: kept in
// localStorage and sent when the connection returns. Pages and files are taken from the network
// when it answers (in PATIENCE_MS), else from the cache; the server says by the X-Visit-Offline
// header whether a page is to be kept (an open questionnaire) or forgotten (a submitted one).
"use strict";

const CACHE = "visits";
const VISIT_PAGE = /^\/responses\/\d+\/visit$/;
const VISIT_SAVE = /^\/responses\/\d+\/visit\/save$/;
const ASSET = /^\/(static|bootstrap)\//;
const PATIENCE_MS = 6000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && VISIT_PAGE.test(url.pathname)) {
    event.respondWith(fromNetworkOrCache(event, `${url.origin}${url.pathname}`, keepPage));
  } else if (request.method === "GET" && ASSET.test(url.pathname)) {
    event.respondWith(fromNetworkOrCache(event, request.url, keepFile));
  } else if (request.method === "POST" && VISIT_SAVE.test(url.pathname)) {
    event.respondWith(saved(event, url.pathname.replace(/\/save$/, "")));
  }
});

function patience(promise) {
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("no answer in time")), PATIENCE_MS);
    promise.then(resolve, reject);
  });
}

// The network's answer, stored by ``keep``; the cache's copy when the network fails or is slow.
function fromNetworkOrCache(event, key, keep) {
  const network = fetch(event.request).then(async (reply) => {
    await keep(key, reply.clone());
    return reply;
  });
  event.waitUntil(network.catch(() => null));
  return patience(network).catch(async () => (await caches.match(key)) || network);
}

async function keepPage(key, reply) {
  const verdict = reply.headers.get("X-Visit-Offline");
  const cache = await caches.open(CACHE);
  if (verdict === "keep") await cache.put(key, reply);
  else if (verdict === "forget") await cache.delete(key);
}

async function keepFile(key, reply) {
  if (reply.ok && reply.type === "basic") await (await caches.open(CACHE)).put(key, reply);
}

// After a save the kept page is fetched again, so that opened offline it shows the answers and
// the revision the server holds (fill.js puts back only what was typed on that revision).
function saved(event, page) {
  // Not ended with the page: fill.js sends the last answers as the page is left (keepalive).
  const reply = fetch(new Request(event.request, { signal: null }));
  event.waitUntil(
    reply
      .then(async (answer) => {
        if (!answer.ok || !(await caches.match(page))) return;
        await keepPage(page, await fetch(page, { credentials: "same-origin" }));
      })
      .catch(() => null),
  );
  return reply;
}
