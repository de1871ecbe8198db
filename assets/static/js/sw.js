// sw.js — the service worker of the field pages, served at /sw.js (root
// scope) with a first line that sets REPARTO_SW: the release's version
// and the content-hashed URLs of the static files the field pages use.
//
// It keeps what a field user needs without a connection:
//   - static files: precached at install, then cache-first (their URLs
//     change with their content);
//   - the shipment list and the shipment, receipt and distribution pages:
//     network first; each page fetched is kept, and served from the cache
//     only when the network fails.
// Nothing else is intercepted: other pages, the JSON API and every POST go
// to the network as usual (the outbox in js/outbox.js deals with writes).
// A short shipment list posts {keep: [urls]} to have the field pages of
// its shipments kept before the user opens them. Signing out (POST
// /logout) empties the page cache, so that the next user of the phone does
// not find the previous user's shipments.
/* global REPARTO_SW */
'use strict';

var STATIC_CACHE = 'reparto-static-' + REPARTO_SW.version;
var PAGE_CACHE = 'reparto-pages-v1';
var FIELD_PAGE = /^\/campaigns\/\d+\/shipments(\/\d+(\/(receive|distribute))?)?\/?$/;

self.addEventListener('install', function (ev) {
  ev.waitUntil(caches.open(STATIC_CACHE).then(function (c) { return c.addAll(REPARTO_SW.precache); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener('activate', function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('reparto-static-') === 0 && k !== STATIC_CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (ev) {
  var req = ev.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === 'POST' && url.pathname === '/logout') {
    ev.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (req.method !== 'GET') return;
  if (url.pathname.indexOf('/static/') === 0) {
    ev.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        if (res.ok && url.searchParams.has('v')) {
          var copy = res.clone();
          caches.open(STATIC_CACHE).then(function (c) { return c.put(req, copy); });
        }
        return res;
      });
    }));
    return;
  }
  if (req.mode === 'navigate' && FIELD_PAGE.test(url.pathname)) {
    ev.respondWith(fieldPage(req, url));
  }
});

self.addEventListener('message', function (ev) {
  var urls = ev.data && Array.isArray(ev.data.keep) ? ev.data.keep : [];
  urls = urls.filter(function (u) { return typeof u === 'string' && FIELD_PAGE.test(u); }).slice(0, 100);
  // one after the other: a phone on a weak connection, a shared server
  ev.waitUntil(urls.reduce(function (p, u) {
    return p.then(function () {
      return fetch(u, { credentials: 'same-origin', redirect: 'manual' }).then(function (res) {
        if (res.status === 200 && res.type === 'basic') {
          return caches.open(PAGE_CACHE).then(function (c) { return c.put(u, res); });
        }
      }, function () {});
    });
  }, Promise.resolve()));
});

// fieldPage is network first: a page the server answers with 200 is kept
// (a redirect to the sign-in page is not); when the network fails, the
// kept copy, with the same query (?box=2) or else any.
function fieldPage(req, url) {
  return fetch(req).then(function (res) {
    if (res.status === 200 && res.type === 'basic' && !res.redirected) {
      var copy = res.clone();
      caches.open(PAGE_CACHE).then(function (c) { return c.put(url.pathname + url.search, copy); });
    }
    return res;
  }, function (err) {
    return caches.open(PAGE_CACHE).then(function (c) {
      return c.match(url.pathname + url.search).then(function (hit) {
        return hit || c.match(url.pathname, { ignoreSearch: true });
      });
    }).then(function (hit) {
      if (hit) return hit;
      throw err;
    });
  });
}
