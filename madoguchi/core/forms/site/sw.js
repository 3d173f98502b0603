/* Keeps the pre-fill site usable offline: cache the site's own files, answer from the cache first.
 * It never caches anything but these files and never sends form data anywhere (the page has none to send). */
// Bump with every change to the site's files: a phone keeps answering from the old cache until the name changes.
var CACHE = 'madoguchi-prefill-v3';
var FILES = ['./', 'index.html', 'style.css', 'rules.js', 'validate.js', 'payload.js', 'qr.js', 'app.js'];
self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(FILES); }));
});
self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }));
});
self.addEventListener('fetch', function (e) {
  e.respondWith(caches.match(e.request).then(function (hit) { return hit || fetch(e.request); }));
});
