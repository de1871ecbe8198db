// page.js — small behaviour every page shares, loaded deferred by the
// layout. Pages work without it; it only makes them kinder.
(function () {
  'use strict';

  // A form re-rendered with errors: move the focus to the first invalid
  // field (opening the disclosure it sits in) so that a keyboard or screen
  // reader user lands on it and hears its error (aria-describedby), instead
  // of starting again at the top of a long page.
  var bad = document.querySelector('main [aria-invalid="true"]');
  if (bad) {
    for (var d = bad.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
      d.open = true;
    }
    bad.focus();
    if (bad.scrollIntoView) {
      bad.scrollIntoView({ block: 'center' });
    }
  }

  // The header's menu is a <details> that CSS keeps open on wide screens
  // (::details-content). A browser without that selector would show a
  // closed menu on a desktop: open it there.
  var menu = document.getElementById('menu');
  var supported = window.CSS && CSS.supports && CSS.supports('selector(::details-content)');
  if (menu && !supported && window.matchMedia('(min-width: 50.01em)').matches) {
    menu.open = true;
  }
})();
