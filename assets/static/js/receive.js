// receive.js — the mobile receipt's boxes: every scanned label opens the
// receipt with its own ?box=N, so the boxes ticked so far are kept per
// shipment in localStorage and ticked again; the count of boxes received
// follows the ticks. localStorage, not sessionStorage: a phone's camera
// app opens each scanned URL in a new tab, and sessionStorage belongs to
// one tab. Without it the scanned box is still ticked and the count
// pre-filled by the server.
(function () {
  'use strict';
  var done = document.getElementById('receive-done');
  if (done) { // recorded: a next delivery of this shipment starts afresh
    try { localStorage.removeItem('reparto.receive.' + done.dataset.shipment); } catch (e) { /* private mode */ }
    return;
  }
  var form = document.getElementById('receive-form');
  if (!form) {
    return;
  }
  var key = 'reparto.receive.' + form.dataset.shipment;
  var boxes = form.querySelectorAll('input[data-box]');
  var count = document.getElementById('receive-boxes');
  var saved = [];
  try { saved = JSON.parse(localStorage.getItem(key) || '[]'); } catch (e) { saved = []; }
  function save() {
    var ticked = [];
    boxes.forEach(function (b) { if (b.checked) { ticked.push(b.value); } });
    try { localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { /* private mode: the URL's box stays ticked */ }
    if (count && count.getAttribute('aria-invalid') !== 'true') {
      count.value = String(ticked.length);
    }
  }
  // The box of this scan: offline, the page may come from the service
  // worker's copy of another scan (or of none), so the URL says which.
  var scanned = null;
  try { scanned = new URLSearchParams(location.search).get('box'); } catch (e) { scanned = null; }
  boxes.forEach(function (b) {
    if (saved.indexOf(b.value) >= 0 || b.value === scanned) {
      b.checked = true;
    }
    b.addEventListener('change', save);
  });
  save();
  // The tab of an earlier scan, if the user goes back to it, ticks what
  // the later tabs scanned, so that either tab submits every box.
  window.addEventListener('storage', function (ev) {
    if (ev.key !== key) return;
    var now = [];
    try { now = JSON.parse(ev.newValue || '[]'); } catch (e) { return; }
    boxes.forEach(function (b) { b.checked = now.indexOf(b.value) >= 0; });
    if (count && count.getAttribute('aria-invalid') !== 'true') {
      count.value = String(form.querySelectorAll('input[data-box]:checked').length);
    }
  });
})();
