// Coverage map: states as a choropleth of the selected metric, campaign
// cities as circles, registered venues at high zoom, and a gap list that
// zooms the map. Every number comes from the GeoJSON endpoints; this file
// only draws. No inline script or style (CSP): data arrives in data-
// attributes and the #map-labels JSON block.
// The map is drawn after the page's first paint: drawing it is a few
// hundred milliseconds of main thread on a phone, and the text around it
// (the page's largest paint) waited for all of it.
(function () {
  'use strict';
  window.requestAnimationFrame(function () { window.setTimeout(drawMap, 0); });

  function drawMap() {
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
        // Popups are written when opened: 32 states and 70 cities of
        // tables built up front were main-thread time nobody may ever use.
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          lyr.bindPopup(function () { return '<div class="map-popup"><h4>' + esc(p.name) + '</h4>' + rows([
            [t('metric.' + metric), ratio(p[metric]) + ' (' + t('band.' + p.band) + ')'],
            [t('cities'), num.format(p.cities)],
            [t('demand'), num.format(p.demand_pieces)],
            [t('allocated'), num.format(p.allocated_pieces)],
            [t('delivered'), num.format(p.delivered_pieces)],
            [t('distributed'), num.format(p.distributed_pieces)],
            [t('venues_targeted'), num.format(p.venues_targeted)],
            [t('venues_reached'), num.format(p.venues_reached)],
            [t('population'), num.format(p.population)],
            [t('uncovered'), num.format(p.uncovered)]
          ]) + '</div>'; });
        }
      });
      // Fit first, without animation, then add: added before, every outline
      // was drawn at the first view and again (through a zoom animation) at
      // the fitted one, twice the main-thread work on a phone.
      map.fitBounds(layer.getBounds(), { animate: false });
      layer.addTo(map);
      layer.eachLayer(function (lyr) {
        var e = lyr.getElement();
        if (e) { e.setAttribute('data-code', lyr.feature.properties.code); e.setAttribute('data-band', lyr.feature.properties.band); }
      });
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
          lyr.bindPopup(function () { return '<div class="map-popup"><h4>' + esc(p.name) + '</h4>' + rows([
            [t('state'), p.state_name],
            [t('allocated'), num.format(p.allocated_pieces) + ' ' + t('pieces')],
            [t('demand'), num.format(p.demand_pieces) + ' ' + t('pieces')],
            [t('fill'), ratio(p.fill)],
            [t('status'), p.status ? t('status.' + p.status) : t('no_shipment')],
            [t('stage'), p.stage ? t('stage.' + p.stage) : '—']
          ]) + '</div>'; });
        }
      }).addTo(map);
      done('cities');
    }).catch(function (err) { el.setAttribute('data-error', String(err)); });

    // Venues: loaded once when the campaign has few, else for the visible bounds.
    var venues = L.layerGroup();
    var few = Number(d.venueCount) <= 2000;
    var loadedAll = false;
    function colorOf(cat) { return catColor[cat] || colors.none; }
    // Reach is drawn by the marker's shape, the category by its colour:
    // reached venues are filled, targeted ones not reached yet are hollow
    // rings of the category's colour, venues the plan gives nothing are
    // small grey dots. (Confidential venues never arrive for viewers: the
    // server leaves them out.)
    function venueStyle(p) {
      var c = colorOf(p.category);
      var s = { pane: 'venues', radius: 5, fillColor: c, fillOpacity: 0.9, color: '#ffffff', weight: 1 };
      if (p.reach === 'not_reached') { s.fillColor = '#ffffff'; s.fillOpacity = 1; s.color = c; s.weight = 2.5; }
      if (p.reach === 'not_targeted') { s.radius = 3.5; s.fillColor = colors.none; }
      if (p.unassigned) { s.radius = 8; s.color = '#c0392b'; s.weight = 3; }
      s.className = 'map-venue map-venue-' + (p.reach || 'not_targeted') + (p.unassigned ? ' map-venue-unassigned' : '');
      return s;
    }
    function drawVenues(fc) {
      venues.clearLayers();
      L.geoJSON(fc, {
        pointToLayer: function (f, ll) {
          var m = L.circleMarker(ll, venueStyle(f.properties));
          m.on('add', function () {
            var e = m.getElement();
            if (e) { e.setAttribute('data-id', f.properties.id); e.setAttribute('data-reach', f.properties.reach); }
          });
          return m;
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          var pairs = [[t('category'), p.category_name || p.category], [t('city'), p.city || t('unassigned')],
            [t('reach'), t('reach.' + p.reach) + (p.reached_pieces ? ' (' + num.format(p.reached_pieces) + ' ' + t('pieces') + ')' : '')]];
          lyr.bindPopup('<div class="map-popup"><h4>' + esc(p.name) + (p.confidential ? ' (' + esc(t('confidential')) + ')' : '') +
            '</h4>' + rows(pairs) + '</div>');
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

    // Download PNG: the current view composed onto a canvas with its title,
    // date, legend and attribution. No library: the map is vector data that
    // Leaflet already draws as SVG, so each SVG pane is serialised (with its
    // computed styles inlined, since the stylesheet does not travel with an
    // image) and drawn as an image; city names are drawn as text where the
    // page shows them. Background tiles, when configured, are fetched again
    // with CORS and left out (with a note) when the tile server refuses:
    // a tainted canvas could not be saved at all.
    var pngBtn = document.getElementById('map-png');
    var STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity'];
    function loadImage(src, cors) {
      return new Promise(function (resolve, reject) {
        var img = new Image();
        if (cors) { img.crossOrigin = 'anonymous'; }
        img.onload = function () { resolve(img); };
        img.onerror = function () { reject(new Error('image ' + src)); };
        img.src = src;
      });
    }
    function svgImage(svg) {
      var copy = svg.cloneNode(true);
      var live = svg.querySelectorAll('path');
      Array.prototype.forEach.call(copy.querySelectorAll('path'), function (path, i) {
        var cs = getComputedStyle(live[i]);
        STYLE_PROPS.forEach(function (k) { path.setAttribute(k, cs.getPropertyValue(k)); });
        path.removeAttribute('class');
      });
      var r = svg.getBoundingClientRect();
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      copy.setAttribute('width', r.width);
      copy.setAttribute('height', r.height);
      copy.style.transform = '';
      var src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(copy));
      return loadImage(src, false).then(function (img) { return { img: img, rect: r }; });
    }
    function tileImages(box) {
      var tiles = el.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded');
      return Promise.all(Array.prototype.map.call(tiles, function (tile) {
        var r = tile.getBoundingClientRect();
        return loadImage(tile.src, true).then(function (img) { return { img: img, rect: r }; });
      })).then(function (list) { return { list: list, ok: true }; }, function () { return { list: [], ok: false }; });
    }
    function legendEntries() {
      var out = [];
      var metric = document.querySelector('#map-legend .map-legend-metric');
      if (metric) { out.push({ head: metric.textContent.trim() }); }
      [['red', colors.red], ['amber', colors.amber], ['green', colors.green], ['none', colors.none]].forEach(function (b) {
        var li = document.querySelector('#map-legend .swatch-' + b[0]);
        if (li) { out.push({ box: b[1], text: li.parentNode.textContent.trim() }); }
      });
      var nocity = document.querySelector('#map-legend .swatch-nocity');
      if (nocity) { out.push({ dashed: true, text: nocity.parentNode.textContent.trim() }); }
      var city = document.querySelector('#map-legend .swatch-city');
      if (city) { out.push({ ring: '#1d2430', text: city.parentNode.textContent.trim() }); }
      if (map.hasLayer(venues) && venues.getLayers().length) {
        var reach = document.querySelectorAll('#map-reach-legend li');
        Array.prototype.forEach.call(reach, function (li) {
          var r = li.getAttribute('data-reach');
          out.push({ dot: r === 'not_targeted' ? colors.none : r === 'reached' ? '#4a5568' : '#ffffff',
            ring: r === 'not_reached' ? '#4a5568' : null, small: r === 'not_targeted', text: li.textContent.trim() });
        });
        var shown = {};
        venues.eachLayer(function (l) { if (l.feature) { shown[l.feature.properties.category] = l.feature.properties.category_name; } });
        Object.keys(shown).sort().forEach(function (c) { out.push({ dot: colorOf(c), text: shown[c] || c }); });
      }
      return out;
    }
    function wrap(ctx, text, width) {
      var words = text.split(/\s+/), lines = [], line = '';
      words.forEach(function (w) {
        var next = line ? line + ' ' + w : w;
        if (line && ctx.measureText(next).width > width) { lines.push(line); line = w; } else { line = next; }
      });
      if (line) { lines.push(line); }
      return lines;
    }
    function composePNG() {
      var box = el.getBoundingClientRect();
      var W = Math.round(box.width), H = Math.round(box.height);
      var PAD = 16, TOP = 70, LEGEND = 300, SCALE = 2;
      var font = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
      var attribution = (el.querySelector('.leaflet-control-attribution') || {}).textContent || d.attribution;
      return Promise.all([
        Promise.all(Array.prototype.map.call(el.querySelectorAll('.leaflet-pane svg'), svgImage)),
        d.tileUrl ? tileImages(box) : Promise.resolve({ list: [], ok: true })
      ]).then(function (got) {
        var measure = document.createElement('canvas').getContext('2d');
        measure.font = '13px ' + font;
        var entries = legendEntries(), legendH = 0;
        entries.forEach(function (e) { e.lines = wrap(measure, e.head || e.text, LEGEND - 34); legendH += e.lines.length * 17 + 6; });
        var note = got[1].ok ? '' : ' — ' + t('png_tiles_missing');
        var attrLines = wrap(measure, attribution + note, W + LEGEND);
        var cw = PAD * 3 + W + LEGEND, ch = TOP + Math.max(H, legendH) + PAD + attrLines.length * 17 + PAD;
        var canvas = document.createElement('canvas');
        canvas.width = cw * SCALE; canvas.height = ch * SCALE;
        var ctx = canvas.getContext('2d');
        ctx.scale(SCALE, SCALE);
        ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, cw, ch);
        ctx.fillStyle = '#1d2430'; ctx.textBaseline = 'top';
        ctx.font = 'bold 22px ' + font; ctx.fillText(d.title, PAD, PAD);
        ctx.font = '14px ' + font; ctx.fillText(d.date, PAD, PAD + 30);
        // The map: its background, tiles, vector panes, then city names.
        ctx.save();
        ctx.translate(PAD, TOP);
        ctx.beginPath(); ctx.rect(0, 0, W, H); ctx.clip();
        ctx.fillStyle = getComputedStyle(el).backgroundColor || '#dfe7ef'; ctx.fillRect(0, 0, W, H);
        got[1].list.concat(got[0]).forEach(function (g) {
          ctx.drawImage(g.img, g.rect.left - box.left, g.rect.top - box.top, g.rect.width, g.rect.height);
        });
        ctx.font = '11px ' + font; ctx.textBaseline = 'middle';
        Array.prototype.forEach.call(el.querySelectorAll('.leaflet-tooltip'), function (tip) {
          if (getComputedStyle(tip).display === 'none') { return; }
          var r = tip.getBoundingClientRect(), x = r.left - box.left, y = r.top - box.top;
          if (x > W || y > H || x + r.width < 0 || y + r.height < 0) { return; }
          ctx.fillStyle = 'rgba(255,255,255,0.85)'; ctx.fillRect(x, y, r.width, r.height);
          ctx.fillStyle = getComputedStyle(tip).color || '#1d2430';
          ctx.fillText(tip.textContent, x + 4, y + r.height / 2);
        });
        ctx.restore();
        ctx.strokeStyle = '#7a828f'; ctx.lineWidth = 1; ctx.strokeRect(PAD + 0.5, TOP + 0.5, W - 1, H - 1);
        // The legend, beside the map.
        var x = PAD * 2 + W, y = TOP;
        ctx.font = '13px ' + font; ctx.textBaseline = 'top';
        entries.forEach(function (e) {
          if (e.head) {
            ctx.font = 'bold 13px ' + font; ctx.fillStyle = '#1d2430';
            e.lines.forEach(function (l, i) { ctx.fillText(l, x, y + i * 17); });
            ctx.font = '13px ' + font;
          } else {
            if (e.box) { ctx.fillStyle = e.box; ctx.fillRect(x, y, 16, 14); ctx.strokeStyle = '#7a828f'; ctx.strokeRect(x + 0.5, y + 0.5, 15, 13); }
            if (e.dashed) {
              ctx.setLineDash([4, 3]); ctx.lineWidth = 2; ctx.strokeStyle = '#1d2430'; ctx.strokeRect(x + 1, y + 1, 14, 12); ctx.setLineDash([]);
            }
            if (e.dot || e.ring) {
              ctx.beginPath(); ctx.arc(x + 8, y + 7, e.small ? 3.5 : 6, 0, 2 * Math.PI);
              if (e.dot) { ctx.fillStyle = e.dot; ctx.fill(); }
              ctx.lineWidth = e.ring ? 2 : 1; ctx.strokeStyle = e.ring || '#ffffff'; ctx.stroke();
            }
            ctx.fillStyle = '#1d2430';
            e.lines.forEach(function (l, i) { ctx.fillText(l, x + 24, y + i * 17); });
          }
          y += e.lines.length * 17 + 6;
        });
        // Attribution, under everything.
        ctx.fillStyle = '#4a5568'; ctx.font = '13px ' + font;
        var ay = TOP + Math.max(H, legendH) + PAD;
        attrLines.forEach(function (l, i) { ctx.fillText(l, PAD, ay + i * 17); });
        return canvas;
      });
    }
    if (pngBtn) {
      pngBtn.disabled = false;
      pngBtn.addEventListener('click', function () {
        pngBtn.disabled = true;
        composePNG().then(function (canvas) {
          return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/png'); }).then(function (blob) {
            el.setAttribute('data-png', canvas.width + 'x' + canvas.height + ' ' + blob.size);
            var a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = d.pngName;
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
          });
        }).catch(function (err) {
          el.setAttribute('data-error', String(err));
          window.alert(t('png_failed'));
        }).then(function () { pngBtn.disabled = false; });
      });
    }
    // For tests and for the console: the Leaflet map, and the composed
    // image as a data URL.
    el.leafletMap = map;
    el.mapPNG = function () { return composePNG().then(function (c) { return c.toDataURL('image/png'); }); };
  }
}());
