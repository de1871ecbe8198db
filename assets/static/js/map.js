// Coverage map: states as a choropleth of the selected metric, campaign
// cities as circles, registered venues at high zoom, and a gap list that
// zooms the map. Every number comes from the GeoJSON endpoints; this file
// only draws. No inline script or style (CSP): data arrives in data-
// attributes and the #map-labels JSON block.
(function () {
  'use strict';
  var el = document.getElementById('map');
  if (!el || !window.L) { return; }
  var d = el.dataset;
  var labels = JSON.parse(document.getElementById('map-labels').textContent || '{}');
  var lang = document.documentElement.lang || 'es-MX';
  var num = new Intl.NumberFormat(lang);
  var pct = new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var colors = { red: '#c0392b', amber: '#e0a100', green: '#2e8b57', none: '#b8bec8' };
  var VENUE_ZOOM = 9;
  var LABEL_ZOOM = 7; // every city's name from here; before, only the largest
  var MAJOR_CITIES = 12; // labelled at the national view
  // Category colours come from the server, in the campaign's category
  // order, so that the legend beside the map names every colour.
  var catColor = {};
  JSON.parse(document.getElementById('map-category-colors').textContent || '[]').forEach(function (c) {
    catColor[c.code] = c.color;
  });

  function t(k) { return labels[k] || k; }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function ratio(v) { return v == null ? t('no_data') : pct.format(v); }
  function rows(pairs) {
    return '<dl>' + pairs.map(function (p) { return '<dt>' + esc(p[0]) + '</dt><dd>' + esc(p[1]) + '</dd>'; }).join('') + '</dl>';
  }
  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error(url + ': ' + r.status); } return r.json(); });
  }

  var map = L.map(el, { zoomSnap: 0.5, minZoom: 4, maxZoom: 16 }).setView([23.6, -102.5], 5);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(esc(d.attribution));
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { attribution: esc(d.tileAttribution), maxZoom: 18 }).addTo(map);
  }
  // Panes keep cities above states and venues above cities, whatever order the fetches finish in.
  map.createPane('cities').style.zIndex = 450;
  map.createPane('venues').style.zIndex = 460;

  var metric = d.metric;
  var ready = {};
  function done(part) {
    ready[part] = true;
    el.setAttribute('data-ready', Object.keys(ready).sort().join(' '));
  }

  getJSON(d.statesUrl).then(function (fc) {
    var layer = L.geoJSON(fc, {
      style: function (f) {
        var p = f.properties;
        return {
          className: 'map-state' + (p.has_city ? '' : ' map-state-nocity'),
          fillColor: colors[p.band] || colors.none, fillOpacity: 0.75, color: '#ffffff', weight: 1
        };
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindPopup('<div class="map-popup"><h4>' + esc(p.name) + '</h4>' + rows([
          [t('metric.' + metric), ratio(p[metric]) + ' (' + t('band.' + p.band) + ')'],
          [t('cities'), num.format(p.cities)],
          [t('demand'), num.format(p.demand_pieces)],
          [t('allocated'), num.format(p.allocated_pieces)],
          [t('delivered'), num.format(p.delivered_pieces)],
          [t('distributed'), num.format(p.distributed_pieces)],
          [t('population'), num.format(p.population)],
          [t('uncovered'), num.format(p.uncovered)]
        ]) + '</div>');
      }
    }).addTo(map);
    layer.eachLayer(function (lyr) {
      var e = lyr.getElement();
      if (e) { e.setAttribute('data-code', lyr.feature.properties.code); e.setAttribute('data-band', lyr.feature.properties.band); }
    });
    map.fitBounds(layer.getBounds());
    done('states');
  }).catch(function (err) { el.setAttribute('data-error', String(err)); });

  // City names: labels give a zoomed view something to orient by.
  var cityAt = {};
  function labelZoom() {
    el.classList.toggle('map-labels-all', map.getZoom() >= LABEL_ZOOM);
  }
  map.on('zoomend', labelZoom);
  labelZoom();

  getJSON(d.citiesUrl).then(function (fc) {
    var radii = fc.features.map(function (f) { return f.properties.radius; }).sort(function (a, b) { return b - a; });
    var majorRadius = radii.length ? radii[Math.min(MAJOR_CITIES, radii.length) - 1] : 0;
    L.geoJSON(fc, {
      pointToLayer: function (f, ll) {
        var p = f.properties;
        var m = L.circleMarker(ll, {
          pane: 'cities', radius: p.radius, className: 'map-city map-city-' + p.band,
          fillColor: colors[p.band] || colors.none, fillOpacity: 0.9, color: '#1d2430', weight: 1.2
        });
        m.on('add', function () { var e = m.getElement(); if (e) { e.setAttribute('data-code', p.code); } });
        m.bindTooltip(esc(p.name), {
          permanent: true, direction: 'right', offset: [p.radius, 0],
          className: 'map-city-label' + (p.radius >= majorRadius ? ' map-city-label-major' : '')
        });
        cityAt[p.code] = { ll: ll, name: p.name };
        return m;
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindPopup('<div class="map-popup"><h4>' + esc(p.name) + '</h4>' + rows([
          [t('state'), p.state_name],
          [t('allocated'), num.format(p.allocated_pieces) + ' ' + t('pieces')],
          [t('demand'), num.format(p.demand_pieces) + ' ' + t('pieces')],
          [t('fill'), ratio(p.fill)],
          [t('status'), p.status ? t('status.' + p.status) : t('no_shipment')],
          [t('stage'), p.stage ? t('stage.' + p.stage) : '—']
        ]) + '</div>');
      }
    }).addTo(map);
    done('cities');
  }).catch(function (err) { el.setAttribute('data-error', String(err)); });

  // Venues: loaded once when the campaign has few, else for the visible bounds.
  var venues = L.layerGroup();
  var few = Number(d.venueCount) <= 2000;
  var loadedAll = false;
  function colorOf(cat) { return catColor[cat] || colors.none; }
  function drawVenues(fc) {
    venues.clearLayers();
    L.geoJSON(fc, {
      pointToLayer: function (f, ll) {
        var p = f.properties;
        return L.circleMarker(ll, {
          pane: 'venues', radius: p.unassigned ? 8 : 5,
          className: 'map-venue' + (p.unassigned ? ' map-venue-unassigned' : ''),
          fillColor: colorOf(p.category), fillOpacity: 0.9, color: p.unassigned ? '#c0392b' : '#ffffff', weight: p.unassigned ? 3 : 1
        });
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        var pairs = [[t('category'), p.category_name || p.category], [t('city'), p.city || t('unassigned')]];
        if (p.approximate) { pairs.push(['', t('approximate')]); }
        lyr.bindPopup('<div class="map-popup"><h4>' + esc(p.hidden ? t('confidential') : p.name) + '</h4>' + rows(pairs) + '</div>');
      }
    }).eachLayer(function (l) { venues.addLayer(l); });
  }
  function refreshVenues() {
    if (map.getZoom() < VENUE_ZOOM) { map.removeLayer(venues); return; }
    venues.addTo(map);
    if (few && loadedAll) { return; }
    var url = d.venuesUrl;
    if (!few) {
      var b = map.getBounds().pad(0.2);
      url += '&bbox=' + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(4); }).join(',');
    }
    getJSON(url).then(function (fc) { drawVenues(fc); loadedAll = few; done('venues'); })
      .catch(function (err) { el.setAttribute('data-error', String(err)); });
  }
  map.on('zoomend moveend', refreshVenues);

  // Gap list: each item zooms to its bounds [south, west, north, east]. A
  // venue far from every city also gets a dashed line to its nearest city,
  // with the distance, and the view widens to show both ends: a ring alone
  // on a flat area said nothing of where it was.
  var gapLink = L.layerGroup().addTo(map);
  Array.prototype.forEach.call(document.querySelectorAll('.map-gap-zoom'), function (btn) {
    btn.addEventListener('click', function () {
      var v = btn.getAttribute('data-bounds').split(',').map(Number);
      var bounds = L.latLngBounds([[v[0], v[1]], [v[2], v[3]]]);
      gapLink.clearLayers();
      var near = cityAt[btn.getAttribute('data-nearest')];
      if (near) {
        var from = bounds.getCenter();
        L.polyline([from, near.ll], { className: 'map-gap-link', interactive: false }).addTo(gapLink);
        L.circleMarker(from, { radius: 9, className: 'map-gap-target', fill: false, interactive: false }).addTo(gapLink)
          .bindTooltip(num.format(Number(btn.getAttribute('data-nearest-km'))) + ' km → ' + esc(near.name) +
            ' (' + t('nearest') + ')', { permanent: true, direction: 'top', className: 'map-gap-label' });
        bounds.extend(near.ll);
      }
      map.fitBounds(bounds, { maxZoom: 11, padding: [30, 30] });
      Array.prototype.forEach.call(document.querySelectorAll('.map-gap-item.active'), function (li) { li.classList.remove('active'); });
      btn.parentNode.classList.add('active');
      el.scrollIntoView({ block: 'nearest' });
    });
  });

  // Filters apply on change (the button stays for keyboards and no-JS).
  var form = document.getElementById('map-filters');
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll('select'), function (s) {
      s.addEventListener('change', function () { form.submit(); });
    });
  }
}());
