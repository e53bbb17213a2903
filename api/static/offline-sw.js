/* The offline check-in page's service worker: the network first (so a page opened with signal is
   fresh, with a current CSRF token, and is kept again), the page's cache when there is none.
   Only GETs of this site are answered; an upload (POST) always goes to the network. */
"use strict";
const CACHE = "benniu-offline";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (response.ok && response.type === "basic" && request.mode === "navigate") {
        const cache = await caches.open(CACHE);
        await cache.put(request.url.split("?")[0], response.clone());
      }
      return response;
    } catch (error) {
      const kept = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
      if (kept) return kept;
      throw error;
    }
  })());
});
