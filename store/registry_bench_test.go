//go:build linux

package store

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/registry"
)

// denueGenerator produces n DENUE-shaped rows (42 columns, Latin-1 names,
// padded localidad, quoted commas) on demand, so that the file itself is
// never in memory. Rows are deterministic: ~90 % bars and clubs within
// 12 km of Mexico City or Tapachula (kept), the rest one of each drop
// reason (unmapped, no coordinates, outside Mexico, no city, duplicate).
type denueGenerator struct {
	n, i int
	rng  *rand.Rand
	buf  bytes.Buffer
}

func newDENUEGenerator(n int) *denueGenerator {
	g := &denueGenerator{n: n, rng: rand.New(rand.NewPCG(2009, 11))}
	g.buf.WriteString(strings.Join([]string{"id", "clee", "nom_estab", "raz_social", "codigo_act", "nombre_act",
		"per_ocu", "tipo_vial", "nom_vial", "tipo_v_e_1", "nom_v_e_1", "tipo_v_e_2", "nom_v_e_2", "tipo_v_e_3",
		"nom_v_e_3", "numero_ext", "letra_ext", "edificio", "edificio_e", "numero_int", "letra_int", "tipo_asent",
		"nomb_asent", "tipoCenCom", "nom_CenCom", "num_local", "cod_postal", "cve_ent", "entidad", "cve_mun",
		"municipio", "cve_loc", "localidad", "ageb", "manzana", "telefono", "correoelec", "www", "tipoUniEco",
		"latitud", "longitud", "fecha_alta"}, ",") + "\r\n")
	return g
}

func (g *denueGenerator) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && g.i < g.n {
		g.row()
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	return g.buf.Read(p)
}

func (g *denueGenerator) row() {
	i := g.i
	g.i++
	id, code := 6000000+i, "722412"
	lat, lon := 19.4326, -99.1332
	if i%2 == 1 {
		lat, lon, code = 14.9039, -92.2575, "722411"
	}
	lat += (g.rng.Float64() - 0.5) * 0.2
	lon += (g.rng.Float64() - 0.5) * 0.2
	fixed := ""
	switch i % 50 {
	case 3, 13:
		code = "461110" // unmapped
	case 5:
		fixed = ","
	case 7:
		fixed = "33.0000000,-97.0000000"
	case 9:
		fixed = "25.6700000,-100.3100000" // Monterrey: no campaign city
	case 11:
		id = 6000000 + i - 1 // the previous row again
	case 17:
		code = "624221"
	}
	// The row is appended piece by piece rather than by fmt: the generator
	// stands in for reading a file, and fmt's boxing and formatting cost as
	// much CPU as decoding the row (the bytes are the same).
	b := g.buf.AvailableBuffer()
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, ",090150"...)
	b = append(b, code...)
	b = append(b, "0000000000000000,\"BAR NI\xD1O "...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ", S.A.\",\"OPERADORA, S.A. DE C.V.\","...)
	b = append(b, code...)
	b = append(b, ",\"Bares, cantinas y similares\",0 a 5 personas,CALLE,REFORMA,CALLE,NINGUNO,CALLE,NINGUNO,,,"...)
	b = strconv.AppendInt(b, int64(i%300), 10)
	b = append(b, ",,,,,,COLONIA,CENTRO,,,,06000,09,Ciudad de M\xE9xico,015,Cuauht\xE9moc,0001,Cuauht\xE9moc"+
		"                    ,0123,045,,,,Fijo,"...)
	if fixed != "" {
		b = append(b, fixed...)
	} else {
		b = strconv.AppendFloat(b, lat, 'f', 7, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, lon, 'f', 7, 64)
	}
	b = append(b, ",2019-11\r\n"...)
	g.buf.Write(b)
}

// BenchmarkImportDENUE1M imports one million DENUE-shaped rows (parse,
// map, assign to cities, store in one transaction with the undo history)
// into a fresh SQLite campaign. peak-RSS-MB is the benchmark process's
// peak resident memory (getrusage), which includes the test binary and
// SQLite's own memory (outside the Go heap). cpu-s is the whole process's
// CPU time during the import and writer-cpu-s that of the goroutine that
// writes (see within); both hold on a busy machine, where the wall time
// does not.
func BenchmarkImportDENUE1M(b *testing.B) {
	rows := benchRows()
	ctx := context.Background()
	db := openTestSQLite(b)
	opts := testRegistryImport(b)
	opts.Default = fixtureRules
	for b.Loop() {
		b.StopTimer()
		id, err := db.CreateCampaign(ctx, fixtureCampaign())
		if err != nil {
			b.Fatal(err)
		}
		r, err := registry.NewDENUEReader(newDENUEGenerator(rows), "denue_inegi_09_.csv")
		if err != nil {
			b.Fatal(err)
		}
		// The import writes on the calling goroutine while another one
		// reads the file: locked to this thread, the writer's CPU time is
		// the thread's, the least wall time the import can take however
		// idle the machine (on two cores the reader runs beside it).
		runtime.LockOSThread()
		before, beforeWriter := cpuSeconds(), threadCPUSeconds()
		b.StartTimer()
		res, err := db.ImportRegistry(ctx, id, opts, r)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		writer := threadCPUSeconds() - beforeWriter
		runtime.UnlockOSThread()
		if res.Summary.Read != rows || res.Created < rows*8/10 {
			b.Fatalf("read %d, created %d: %+v", res.Summary.Read, res.Created, res.Summary)
		}
		// CPU time says what the import costs on a shared machine, where
		// the wall time mostly says how busy the other processes were.
		b.ReportMetric(cpuSeconds()-before, "cpu-s")
		b.ReportMetric(writer, "writer-cpu-s")
		b.ReportMetric(float64(res.Created), "venues")
		// Read before anything else runs: the peak is the import's (and
		// the campaign's creation, which is small). Each iteration
		// imports into a new campaign rather than deleting the last one,
		// whose cascade would be measured too.
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
			b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Maxrss is in KiB on Linux
		}
		b.StartTimer()
	}
}

// benchRows is 1,000,000 unless REPARTO_BENCH_ROWS says otherwise (for a
// quick profile).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("REPARTO_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// threadCPUSeconds is the calling thread's user and system CPU time so far.
func threadCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkRecordImportItems measures the undo record of a registry
// batch alone (4,000 created venues), one item per venue against one
// packed item, so that the choice does not rest on the whole import's
// time, which a shared machine blurs by ±20 %.
func BenchmarkRecordImportItems(b *testing.B) {
	ctx := context.Background()
	db := openTestSQLite(b)
	id, err := db.CreateCampaign(ctx, fixtureCampaign())
	if err != nil {
		b.Fatal(err)
	}
	d := VenueImportDiff{New: make([]planner.Venue, registryBatch)}
	for i := range d.New {
		d.New[i] = planner.Venue{ID: fmt.Sprintf("denue-%d", 6000000+i), Name: fmt.Sprintf("BAR NIÑO %d, S.A.", i),
			Category: "NIGHTCLUB", Lat: 19.4326 + float64(i)*1e-5, Lon: -99.1332, City: "MEX",
			Address: "CALLE REFORMA 12, COLONIA CENTRO, Cuauhtémoc"}
	}
	for _, packed := range []bool{false, true} {
		b.Run(fmt.Sprintf("packed=%v", packed), func(b *testing.B) {
			n := 0
			for b.Loop() {
				err := db.WithTx(ctx, func(tx *Tx) error {
					var importID int64
					if err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO venue_imports (campaign_id, at, actor,
						created, changed, unchanged) VALUES (?, ?, 'bench', 0, 0, 0) RETURNING id`), id, db.now()).Scan(&importID); err != nil {
						return err
					}
					n++
					return recordImportItems(ctx, tx, importID, d, packed)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*registryBatch), "ns/venue")
		})
	}
}
