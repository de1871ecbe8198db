// outbox.js — offline capture for the field pages
// (docs/tracking.md#recording-without-a-connection). Loaded by the pages that carry a
// form[data-outbox] and by the shipment list, so that the service worker
// (/sw.js) is installed and keeps those pages for use without a connection.
//
// A form[data-outbox] is not posted as a form when this script runs: it is
// turned into the JSON body of POST /api/v1/shipments/:id/events, given an
// Idempotency-Key and put in an outbox in IndexedDB first, then sent. A
// record that cannot be sent (no connection, server unreachable, 5xx) stays
// in the outbox, listed as pending, and is sent again in order on page
// load, when the browser comes back online and every 30 seconds. A retry
// carries the same key and body, so the server stores it once (a replay
// answers 200 with the event first recorded). A record the server refuses
// (4xx: someone recorded the delivery first, a quantity over what was
// accepted) stays, with the server's reason, until the user discards it.
// A form with data-outbox-next="URL" goes to URL once its own record is
// sent, as its plain post would. Without JavaScript the forms post normally.
(function () {
  'use strict';

  var DB_NAME = 'reparto-outbox', STORE = 'records', RETRY_MS = 30000;
  var panel = document.getElementById('outbox');

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
    // A short shipment list (a field user's own) asks the worker to keep
    // the field pages of its shipments, so that they open without a
    // connection even if the user never visited them.
    var keep = [];
    Array.prototype.forEach.call(document.querySelectorAll('[data-offline-keep]'), function (e) {
      keep = keep.concat(e.getAttribute('data-offline-keep').split(' ').filter(Boolean));
    });
    if (keep.length && navigator.onLine !== false) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active) reg.active.postMessage({ keep: keep });
      });
    }
  }
  if (!window.indexedDB) {
    return; // the forms post normally
  }

  function openDB() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: 'key' }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, fn) {
    return openDB().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), out;
        t.oncomplete = function () { db.close(); resolve(out); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
        out = fn(t.objectStore(STORE));
      });
    });
  }

  function all() {
    return openDB().then(function (db) {
      return new Promise(function (resolve, reject) {
        var req = db.transaction(STORE, 'readonly').objectStore(STORE).getAll();
        req.onsuccess = function () {
          db.close();
          resolve(req.result.sort(function (a, b) { return a.created - b.created || (a.key < b.key ? -1 : 1); }));
        };
        req.onerror = function () { db.close(); reject(req.error); };
      });
    });
  }

  function put(rec) { return tx('readwrite', function (s) { s.put(rec); }); }
  function del(key) { return tx('readwrite', function (s) { s['delete'](key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  // setPath puts v at a path of the form's names ("distribution[2].pieces").
  function setPath(obj, name, v) {
    var parts = [], m, re = /([^.[\]]+)|\[(\d+)\]/g;
    while ((m = re.exec(name)) !== null) {
      parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
    }
    var cur = obj;
    for (var i = 0; i < parts.length - 1; i++) {
      if (cur[parts[i]] === undefined) {
        cur[parts[i]] = typeof parts[i + 1] === 'number' ? [] : {};
      }
      cur = cur[parts[i]];
    }
    cur[parts[parts.length - 1]] = v;
  }

  function hasNumber(v) {
    if (typeof v === 'number') return true;
    if (v && typeof v === 'object') {
      return Object.keys(v).some(function (k) { return hasNumber(v[k]); });
    }
    return false;
  }

  // compact drops the rows a user left blank, as the form reader does:
  // holes, and list entries without any quantity (a distribution row whose
  // pieces are empty still has its material select's value).
  function compact(v) {
    if (Array.isArray(v)) {
      return v.filter(function (x) { return x !== undefined && (typeof x !== 'object' || hasNumber(x)); }).map(compact);
    }
    if (v && typeof v === 'object') {
      Object.keys(v).forEach(function (k) { v[k] = compact(v[k]); });
    }
    return v;
  }

  // serialise turns the form into the event's JSON body: inputs are named
  // by the body's paths; numbers become numbers, a ticked checkbox true,
  // an empty input is left out; inputs marked data-outbox-skip (the form's
  // own key) are not part of the body.
  function serialise(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.hasAttribute('data-outbox-skip') || /^(submit|button|reset|file)$/.test(el.type)) return;
      var v;
      if (el.type === 'checkbox') {
        if (!el.checked) return;
        v = true;
      } else if (el.type === 'radio') {
        if (!el.checked) return;
        v = el.value;
      } else {
        v = el.value.trim();
        if (v === '') return;
        if (el.type === 'number' && /^-?\d+$/.test(v)) v = Number(v);
      }
      setPath(body, el.name, v);
    });
    return compact(body);
  }

  var T = function (name) { return panel ? panel.getAttribute('data-t-' + name) || '' : ''; };
  var user = panel ? panel.getAttribute('data-user') || '' : '';
  var lang = document.documentElement.lang || 'es-MX';
  var sending = false, status = '';
  var fresh = null; // {key, form, native, sent, seen}: the record of the form being submitted

  function sentList() {
    try { return JSON.parse(sessionStorage.getItem('reparto-sent') || '[]'); } catch (e) { return []; }
  }
  // "Sent" is shown on this page and on the next one (the page reloads
  // after sending), then forgotten.
  var shownSent = sentList();
  try { sessionStorage.removeItem('reparto-sent'); } catch (e) { /* private mode */ }
  function noteSent(rec) {
    var s = { key: rec.key, kind: rec.kind, label: rec.label, date: rec.body.date || '' };
    shownSent.push(s);
    var list = sentList();
    list.push(s);
    try { sessionStorage.setItem('reparto-sent', JSON.stringify(list.slice(-10))); } catch (e) { /* private mode */ }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function describe(rec) {
    return [T('kind-' + rec.kind) || rec.kind, rec.label, rec.body && rec.body.date].filter(Boolean).join(' · ');
  }

  function render() {
    if (!panel) return Promise.resolve();
    return all().then(function (recs) {
      var list = document.getElementById('outbox-list');
      var sent = shownSent;
      list.textContent = '';
      var pending = 0, refused = 0;
      recs.forEach(function (rec) {
        var li = el('li', 'outbox-item ' + rec.state);
        li.setAttribute('data-key', rec.key);
        li.setAttribute('data-kind', rec.kind);
        li.setAttribute('data-state', rec.state);
        li.appendChild(el('strong', '', describe(rec)));
        var state = rec.state === 'refused' ? T('refused') : (rec.user && user && rec.user !== user ? T('other-user') : T('pending'));
        li.appendChild(el('span', 'outbox-state badge', state));
        if (rec.state === 'refused') {
          refused++;
          var why = el('div', 'outbox-reason field-error');
          why.setAttribute('role', 'alert');
          why.appendChild(el('p', '', rec.error && rec.error.message ? rec.error.message : 'HTTP ' + rec.httpStatus));
          var fields = rec.error && rec.error.fields ? Object.keys(rec.error.fields).sort() : [];
          if (fields.length === 1 && rec.error.message === fields[0] + ': ' + rec.error.fields[fields[0]]) {
            fields = []; // the message says it already
          }
          if (fields.length) {
            var ul = el('ul');
            fields.forEach(function (f) { ul.appendChild(el('li', '', f + ': ' + rec.error.fields[f])); });
            why.appendChild(ul);
          }
          li.appendChild(why);
          var btn = el('button', 'outbox-discard', T('discard'));
          btn.type = 'button';
          btn.addEventListener('click', function () { del(rec.key).then(render); });
          li.appendChild(btn);
        } else {
          pending++;
        }
        list.appendChild(li);
      });
      sent.forEach(function (s) {
        var li = el('li', 'outbox-item sent');
        li.setAttribute('data-key', s.key);
        li.setAttribute('data-state', 'sent');
        li.appendChild(el('strong', '', describe({ kind: s.kind, label: s.label, body: { date: s.date } })));
        li.appendChild(el('span', 'outbox-state badge', T('sent')));
        list.appendChild(li);
      });
      panel.setAttribute('data-pending', String(pending));
      panel.setAttribute('data-refused', String(refused));
      document.getElementById('outbox-status').textContent = status;
      panel.hidden = recs.length === 0 && sent.length === 0 && !status;
    });
  }

  // send posts one record; it resolves to 'sent', 'refused' or 'retry'.
  function send(rec) {
    if (fresh && fresh.key === rec.key) fresh.seen = true;
    return fetch(rec.url, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Accept-Language': lang, 'Idempotency-Key': rec.key },
      body: JSON.stringify(rec.body)
    }).then(function (res) {
      if (res.ok) {
        if (fresh && fresh.key === rec.key) fresh.sent = true;
        return del(rec.key).then(function () { noteSent(rec); return 'sent'; });
      }
      // Signed out, throttled or a server fault: nothing is wrong with the
      // record; try again later.
      if (res.status === 401 || res.status === 408 || res.status === 429 || res.status >= 500) {
        return 'retry';
      }
      // The form just submitted, refused as invalid while the user is
      // looking: post it as a form instead, so that the page comes back
      // with each message next to its field (the form's own key; nothing
      // was stored).
      if (res.status === 422 && fresh && fresh.key === rec.key) {
        fresh.native = true;
        return del(rec.key).then(function () { return 'native'; });
      }
      return res.json().catch(function () { return {}; }).then(function (b) {
        rec.state = 'refused';
        rec.httpStatus = res.status;
        rec.error = b && b.error ? { message: b.error.message, fields: b.error.fields || null, code: b.error.code } : { message: 'HTTP ' + res.status };
        return put(rec).then(function () { return 'refused'; });
      });
    }, function () { return 'retry'; });
  }

  // flush sends the pending records in the order they were made; it
  // stops at the first that cannot be sent, so that a later record (a
  // distribution) never overtakes an earlier one (its delivery).
  // own is the record a submit hands over (see the submit listener).
  function flush(own) {
    if (sending) return Promise.resolve();
    sending = true;
    var sentAny = false;
    return all().then(function (recs) {
      var todo = recs.filter(function (r) { return r.state === 'pending' && (!r.user || !user || r.user === user); });
      var next = function (i) {
        if (i >= todo.length) return null;
        status = T('sending');
        return send(todo[i]).then(function (res) {
          if (res === 'retry') {
            status = T('offline');
            return null;
          }
          sentAny = sentAny || res === 'sent';
          status = '';
          return next(i + 1);
        });
      };
      return next(0);
    }).then(function () {
      sending = false;
      return render();
    }, function () {
      sending = false;
    }).then(function () {
      // the page shows the shipment as it was: reload it to show what the
      // server now has (a page taken from the service worker's cache
      // comes back fresh once online).
      // Only the pass that carried the form just submitted, or the
      // submit's own pass, answers for it: a pass that read the outbox
      // before that record was stored leaves it alone (it used to reset
      // the form, or show a refusal as a refused record).
      var f = fresh && (fresh.seen || fresh === own) ? fresh : null;
      if (f) fresh = null;
      if (f && f.native) {
        f.form.submit(); // no submit event: posted as a plain form
        return;
      }
      if (f) {
        f.form.reset();
      }
      // Kept pending or refused: the outbox heads the page and the submit
      // button is at the foot of a long form, so bring the outbox to the
      // user (and to a screen reader's focus) rather than leave a form
      // that merely went blank.
      if (f && !f.sent && !f.native && panel && !panel.hidden) {
        panel.setAttribute('tabindex', '-1');
        panel.scrollIntoView({ block: 'start' });
        panel.focus({ preventScroll: true });
      }
      // A form that names where to go next (the receipt: the shipment
      // page, as its plain post does) goes there once its own record is
      // sent; unsent, the user stays and sees it pending.
      var next = f && f.sent && f.form.getAttribute('data-outbox-next');
      if (next) {
        location.assign(next);
        return;
      }
      if (sentAny && document.querySelector('form[data-outbox]')) {
        location.reload();
      }
    });
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form[data-outbox]')) return;
    ev.preventDefault();
    var rec = {
      key: newKey(), created: Date.now(), state: 'pending', user: user,
      kind: form.getAttribute('data-event-kind'), label: form.getAttribute('data-label') || '',
      page: location.pathname, url: '/api/v1/shipments/' + form.getAttribute('data-shipment') + '/events',
      body: serialise(form)
    };
    // Known before the record is stored, so that a pass already under way
    // that picks the record up treats it as this form's (a refusal comes
    // back as the form with its messages, not as a refused record).
    var mine = { key: rec.key, form: form, native: false, seen: false };
    fresh = mine;
    put(rec).then(function () {
      status = T('queued');
      return render();
    }).then(function go() {
      // a pass under way read the outbox before this record: wait for it
      if (sending) {
        return new Promise(function (r) { setTimeout(r, 50); }).then(go);
      }
      if (fresh !== mine || mine.seen) return null; // that pass sent it
      return flush(mine);
    });
  });

  window.addEventListener('online', flush);
  setInterval(function () {
    if (panel && panel.getAttribute('data-pending') !== '0') flush();
  }, RETRY_MS);
  render().then(flush);
})();
