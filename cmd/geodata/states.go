package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// stateNames maps Natural Earth's HASC code of each Mexican state to its
// ISO 3166-2:MX code and the name Reparto shows. The ISO codes are Natural
// Earth's, except Mexico City: still MX-DIF ("Distrito Federal") there,
// MX-CMX ("Ciudad de México") since 2016. Names are Natural Earth's short
// Spanish names.
var stateNames = map[string][2]string{
	"MX.AG": {"MX-AGU", "Aguascalientes"}, "MX.BN": {"MX-BCN", "Baja California"},
	"MX.BS": {"MX-BCS", "Baja California Sur"}, "MX.CM": {"MX-CAM", "Campeche"},
	"MX.CP": {"MX-CHP", "Chiapas"}, "MX.CH": {"MX-CHH", "Chihuahua"},
	"MX.DF": {"MX-CMX", "Ciudad de México"}, "MX.CA": {"MX-COA", "Coahuila"},
	"MX.CL": {"MX-COL", "Colima"}, "MX.DU": {"MX-DUR", "Durango"},
	"MX.GJ": {"MX-GUA", "Guanajuato"}, "MX.GR": {"MX-GRO", "Guerrero"},
	"MX.HI": {"MX-HID", "Hidalgo"}, "MX.JA": {"MX-JAL", "Jalisco"},
	"MX.MX": {"MX-MEX", "México"}, "MX.MC": {"MX-MIC", "Michoacán"},
	"MX.MR": {"MX-MOR", "Morelos"}, "MX.NA": {"MX-NAY", "Nayarit"},
	"MX.NL": {"MX-NLE", "Nuevo León"}, "MX.OA": {"MX-OAX", "Oaxaca"},
	"MX.PU": {"MX-PUE", "Puebla"}, "MX.QE": {"MX-QUE", "Querétaro"},
	"MX.QR": {"MX-ROO", "Quintana Roo"}, "MX.SL": {"MX-SLP", "San Luis Potosí"},
	"MX.SI": {"MX-SIN", "Sinaloa"}, "MX.SO": {"MX-SON", "Sonora"},
	"MX.TB": {"MX-TAB", "Tabasco"}, "MX.TM": {"MX-TAM", "Tamaulipas"},
	"MX.TL": {"MX-TLA", "Tlaxcala"}, "MX.VE": {"MX-VER", "Veracruz"},
	"MX.YU": {"MX-YUC", "Yucatán"}, "MX.ZA": {"MX-ZAC", "Zacatecas"},
}

// Every vertex of a Mexican state lies in this box; a coordinate outside
// it means a wrong or swapped source.
const minLon, maxLon, minLat, maxLat = -118.6, -86.5, 14.3, 32.8

// state is one output feature.
type state struct {
	code, name, hasc, admin1 string
	geom                     orb.MultiPolygon
}

// readStates keeps the Mexican states of a Natural Earth admin-1 file,
// simplifies and rounds their outlines and returns them sorted by code.
func readStates(r io.Reader, opt options) ([]state, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("not a GeoJSON FeatureCollection: %w", err)
	}
	var states []state
	seen := map[string]bool{}
	for _, f := range fc.Features {
		if f.Properties.MustString("adm0_a3", "") != "MEX" {
			continue
		}
		hasc := f.Properties.MustString("code_hasc", "")
		names, ok := stateNames[hasc]
		if !ok {
			continue // the unnamed minor-island unit (Arrecife Alacranes)
		}
		code, name := names[0], names[1]
		iso := f.Properties.MustString("iso_3166_2", "")
		if iso != code && !(code == "MX-CMX" && iso == "MX-DIF") {
			return nil, fmt.Errorf("%s: Natural Earth gives ISO code %q, expected %s", hasc, iso, code)
		}
		if seen[code] {
			return nil, fmt.Errorf("%s appears twice", code)
		}
		seen[code] = true
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return nil, fmt.Errorf("%s: geometry %s, want Polygon or MultiPolygon", code, f.Geometry.GeoJSONType())
		}
		states = append(states, state{code: code, name: name, hasc: hasc,
			admin1: strings.TrimPrefix(f.Properties.MustString("gn_a1_code", ""), "MX."), geom: mp})
	}
	if len(states) != opt.wantStates {
		return nil, fmt.Errorf("found %d Mexican states (adm0_a3 MEX with a known code_hasc), want %d", len(states), opt.wantStates)
	}
	sort.Slice(states, func(i, j int) bool { return states[i].code < states[j].code })

	simplifyAll(states, opt.keep)
	scale := math.Pow10(opt.decimals)
	for i := range states {
		g, err := roundOutline(states[i].geom, scale)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", states[i].code, err)
		}
		states[i].geom = g
	}
	return states, nil
}

// ringMin is the fewest points a closed ring can have; simplification
// never goes below it, so no island disappears (mapshaper's keep-shapes).
const ringMin = 4

// simplifyAll runs Visvalingam–Whyatt with one area threshold for every
// ring of every state, chosen so that the share keep of the removable
// vertices (those beyond each ring's minimum) survives, as mapshaper's
// percentage does. The threshold is found by bisection: fewer vertices
// survive as it grows.
func simplifyAll(states []state, keep float64) {
	fixed, removable := 0, 0
	for _, s := range states {
		for _, p := range s.geom {
			for _, r := range p {
				fixed += min(len(r), ringMin)
				removable += max(0, len(r)-ringMin)
			}
		}
	}
	target := fixed + int(math.Round(keep*float64(removable)))
	apply := func(threshold float64) ([]orb.MultiPolygon, int) {
		out := make([]orb.MultiPolygon, len(states))
		n := 0
		for i, s := range states {
			out[i] = simplify.Visvalingam(threshold, ringMin).MultiPolygon(s.geom.Clone())
			for _, p := range out[i] {
				for _, r := range p {
					n += len(r)
				}
			}
		}
		return out, n
	}
	if keep >= 1 {
		return
	}
	lo, hi := 0.0, 1.0 // square degrees; 1 removes everything removable
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if _, n := apply(mid); n > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	best, _ := apply(hi)
	for i := range states {
		states[i].geom = best[i]
	}
}

// roundOutline rounds coordinates to 1/scale of a degree, drops the
// repeated points and the rings that rounding collapses (a hole or part
// with no area left), and orients rings as RFC 7946 asks: outer rings
// counter-clockwise, holes clockwise.
func roundOutline(mp orb.MultiPolygon, scale float64) (orb.MultiPolygon, error) {
	var out orb.MultiPolygon
	for _, p := range mp {
		var poly orb.Polygon
		for i, r := range p {
			rr := roundRing(r, scale)
			if len(rr) < ringMin || planar.Area(rr) == 0 {
				if i == 0 {
					break // the outer ring is gone: so is the part
				}
				continue
			}
			outer := i == 0
			if (rr.Orientation() == orb.CCW) != outer {
				rr.Reverse()
			}
			poly = append(poly, rr)
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no outline left after rounding")
	}
	for _, p := range out {
		for _, r := range p {
			for _, pt := range r {
				if pt[0] < minLon || pt[0] > maxLon || pt[1] < minLat || pt[1] > maxLat {
					return nil, fmt.Errorf("point %v is outside Mexico's box", pt)
				}
			}
		}
	}
	return out, nil
}

func roundRing(r orb.Ring, scale float64) orb.Ring {
	var out orb.Ring
	for _, pt := range r {
		q := orb.Point{math.Round(pt[0]*scale) / scale, math.Round(pt[1]*scale) / scale}
		if n := len(out); n > 0 && out[n-1] == q {
			continue
		}
		out = append(out, q)
	}
	if n := len(out); n > 0 && out[0] != out[n-1] {
		out = append(out, out[0])
	}
	return out
}

// encodeStates writes the states in the layout of the shipped file (the
// layout mapshaper writes): one feature per line, keys type, geometry,
// properties, numbers in their shortest form. It returns the file and its
// number of vertices.
func encodeStates(states []state) ([]byte, int) {
	var b bytes.Buffer
	vertices := 0
	b.WriteString(`{"type":"FeatureCollection", "features": [` + "\n")
	for i, s := range states {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"type":"Feature","geometry":{"type":`)
		if len(s.geom) == 1 {
			b.WriteString(`"Polygon","coordinates":`)
			vertices += writePolygon(&b, s.geom[0])
		} else {
			b.WriteString(`"MultiPolygon","coordinates":[`)
			for j, p := range s.geom {
				if j > 0 {
					b.WriteByte(',')
				}
				vertices += writePolygon(&b, p)
			}
			b.WriteByte(']')
		}
		b.WriteString(`},"properties":{"code":`)
		writeString(&b, s.code)
		b.WriteString(`,"name":`)
		writeString(&b, s.name)
		b.WriteString(`,"hasc":`)
		writeString(&b, s.hasc)
		b.WriteString(`,"geonames_admin1":`)
		writeString(&b, s.admin1)
		b.WriteString("}}")
	}
	b.WriteString("\n]}")
	return b.Bytes(), vertices
}

func writePolygon(b *bytes.Buffer, p orb.Polygon) int {
	n := 0
	b.WriteByte('[')
	for i, r := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for j, pt := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			b.WriteString(strconv.FormatFloat(pt[0], 'f', -1, 64))
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(pt[1], 'f', -1, 64))
			b.WriteByte(']')
			n++
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
	return n
}

// writeString writes s as a JSON string, non-ASCII letters as they are.
func writeString(b *bytes.Buffer, s string) {
	var sb bytes.Buffer
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(sb.Bytes(), []byte("\n")))
}
