// venues.js — the material, venue and category of each distribution row
// on the shipment page. The server lists the shipment's materials, the
// city's venues and the campaign's categories once (datalist#material-list,
// #venue-list, #category-list) and gives every row text inputs naming them
// (data-select), which work without this script. Here each such input
// becomes a select holding only its current value (and the empty choice,
// when the list has data-none), filled from its list the first time the
// user reaches it (focus, pointer or touch come before a select opens): the
// choice reads as before, without repeating hundreds of options in every
// row of every form.
(function () {
  'use strict';

  function option(value, text) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  }

  function labelOf(list, id) {
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === id) return list.options[i].textContent;
    }
    return id; // not in the list (an old value): shown as typed
  }

  var copied = ['name', 'id', 'class', 'aria-label', 'aria-invalid', 'aria-describedby'];
  function upgrade(inp) {
    var list = document.getElementById(inp.getAttribute('list'));
    if (!list || !inp.parentNode) return;
    var sel = document.createElement('select');
    copied.forEach(function (a) {
      if (inp.hasAttribute(a)) sel.setAttribute(a, inp.getAttribute(a));
    });
    sel.setAttribute('data-list', list.id);
    if (list.hasAttribute('data-none')) sel.appendChild(option('', list.getAttribute('data-none')));
    var cur = inp.value.trim();
    if (cur) {
      var o = option(cur, labelOf(list, cur));
      o.selected = o.defaultSelected = true;
      sel.appendChild(o);
    }
    var focused = document.activeElement === inp; // page.js focuses the first invalid field
    inp.parentNode.replaceChild(sel, inp);
    if (focused) {
      sel.focus();
      fill(sel);
    }
  }

  // A form's inputs are swapped when it comes near the screen, so that
  // loading the page does no work for forms far below it (on a phone the
  // distribution form is several screens down; correction forms sit in
  // closed disclosures), and at once if one of its inputs gets the focus
  // first. An input not swapped yet works as it is, with its datalist.
  function upgradeForm(form) {
    if (!form || form.hasAttribute('data-selects')) return;
    form.setAttribute('data-selects', '');
    Array.prototype.forEach.call(form.querySelectorAll('input[data-select][list]'), upgrade);
  }
  var forms = [];
  Array.prototype.forEach.call(document.querySelectorAll('input[data-select][list]'), function (inp) {
    if (inp.form && forms.indexOf(inp.form) < 0) forms.push(inp.form);
  });
  if ('IntersectionObserver' in window) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) {
          io.unobserve(e.target);
          upgradeForm(e.target);
        }
      });
    }, { rootMargin: '400px 0px' });
    forms.forEach(function (f) { io.observe(f); });
  } else {
    forms.forEach(upgradeForm);
  }
  var active = document.activeElement; // page.js focuses the first invalid field
  if (active && active.form && active.matches('input[data-select][list]')) upgradeForm(active.form);

  // fill gives a select every entry of its list, keeping its choice.
  function fill(sel) {
    var list = document.getElementById(sel.getAttribute('data-list'));
    if (!list || sel.hasAttribute('data-filled')) return;
    sel.setAttribute('data-filled', '');
    var cur = sel.value;
    var known = false;
    var keep = list.hasAttribute('data-none') ? 1 : 0; // the empty choice
    while (sel.options.length > keep) sel.remove(keep);
    var frag = document.createDocumentFragment();
    Array.prototype.forEach.call(list.options, function (l) {
      var o = option(l.value, l.textContent);
      if (l.value === cur) {
        o.selected = o.defaultSelected = known = true;
      }
      frag.appendChild(o);
    });
    if (cur && !known) {
      var u = option(cur, cur);
      u.selected = u.defaultSelected = true;
      frag.appendChild(u);
    }
    sel.appendChild(frag);
  }

  ['focusin', 'pointerdown', 'mousedown', 'touchstart'].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var t = ev.target;
      if (!t || !t.closest) return;
      if (t.matches('input[data-select][list]')) upgradeForm(t.form);
      var sel = t.closest('select[data-list]');
      if (sel) fill(sel);
    }, { capture: true, passive: true });
  });
})();
