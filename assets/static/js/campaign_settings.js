// Depot map of the settings page: click the map to set the depot's
// latitude and longitude, or type them and the marker follows. States are
// drawn from the campaign's states GeoJSON (offline); an online tile layer
// only when the server is configured with one. No inline script (CSP).
(function () {
  'use strict';
  var el = document.getElementById('depot-map');
  var lat = document.getElementById('f-depot_lat');
  var lon = document.getElementById('f-depot_lon');
  if (!el || !window.L || !lat || !lon) { return; }
  var d = el.dataset;
  var map = L.map(el, { minZoom: 4, maxZoom: 16 }).setView([23.6, -102.5], 5);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: 18 }).addTo(map);
  }
  fetch(d.statesUrl, { credentials: 'same-origin', headers: { Accept: 'application/geo+json' } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (fc) {
      L.geoJSON(fc, { interactive: false, style: { color: '#7a8699', weight: 1, fillColor: '#f7f7f2', fillOpacity: 1 } }).addTo(map).bringToBack();
      el.setAttribute('data-ready', 'states');
    })
    .catch(function () { el.setAttribute('data-ready', 'no-states'); });
  var marker = null;
  function point() {
    var a = parseFloat(lat.value), o = parseFloat(lon.value);
    return (isFinite(a) && isFinite(o) && Math.abs(a) <= 90 && Math.abs(o) <= 180) ? [a, o] : null;
  }
  function place(p, pan) {
    if (!p) { return; }
    if (marker) { marker.setLatLng(p); } else { marker = L.circleMarker(p, { radius: 9, color: '#b03a2e', weight: 3, fillOpacity: 0.6 }).addTo(map); }
    if (pan) { map.setView(p, Math.max(map.getZoom(), 6)); }
  }
  place(point(), true);
  map.on('click', function (e) {
    lat.value = e.latlng.lat.toFixed(5);
    lon.value = e.latlng.lng.toFixed(5);
    place([e.latlng.lat, e.latlng.lng], false);
  });
  lat.addEventListener('change', function () { place(point(), true); });
  lon.addEventListener('change', function () { place(point(), true); });
})();
