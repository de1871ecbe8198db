package main

import "github.com/reparto/reparto/planner"

// target is one row of the targeting matrix: pieces of a material for each
// venue of a category.
type target struct {
	Material, Category string
	PerVenue           int64
}

// targets sends each material where its audience is. Per-venue quantities
// are estimates sized so that total demand is of the order of the print run:
// some materials fall short (water-filling by priority), others leave a
// surplus that is spread by priority (assets/data/README.md lists which).
var targets = []target{
	// Victims: where people in need of help pass or ask for help.
	{"CAR-VICTIMAS", "INM-OFI", 200},
	{"CAR-VICTIMAS", "INM-EST", 300},
	{"CAR-VICTIMAS", "DIF-MUN", 100},
	{"CAR-VICTIMAS", "DIF-EST", 200},
	{"CAR-VICTIMAS", "ASIST-PUB", 20},
	{"CAR-VICTIMAS", "HOSPITAL", 20},
	{"CAR-VICTIMAS", "CLINICA", 10},
	{"CAR-VICTIMAS", "ONG", 10},
	{"CAR-VICTIMAS", "ONG-ALBERGUE", 20},
	{"CAR-VICTIMAS", "CENTRAL-AUTOBUS", 150},
	{"CAR-VICTIMAS", "AEROPUERTO", 200},
	{"CAR-VICTIMAS", "MP", 10},
	{"CAR-VICTIMAS", "LICONSA", 5},
	// Migrants: migration offices and stations, terminals, migrant NGOs.
	{"CAR-MIGRANTES", "INM-OFI", 300},
	{"CAR-MIGRANTES", "INM-EST", 500},
	{"CAR-MIGRANTES", "CENTRAL-AUTOBUS", 200},
	{"CAR-MIGRANTES", "AEROPUERTO", 100},
	{"CAR-MIGRANTES", "ONG", 20},
	{"CAR-MIGRANTES", "ONG-ALBERGUE", 20},
	{"CAR-MIGRANTES", "CLINICA", 5},
	{"CAR-MIGRANTES", "HOSPITAL", 5},
	// Demand side: every nightlife and hospitality venue.
	{"CAR-DEMANDA", "HOTEL", 10},
	{"CAR-DEMANDA", "BAR", 10},
	{"CAR-DEMANDA", "NOCTURNO", 20},
	{"CAR-DEMANDA", "DISCO", 20},
	{"CAR-DEMANDA", "SALON-BAILE", 10},
	// General public: schools from secondary up, public offices, transport.
	{"CAR-ALTO", "ESC-SEC", 4},
	{"CAR-ALTO", "ESC-PREP", 5},
	{"CAR-ALTO", "BIBLIOTECA", 10},
	{"CAR-ALTO", "LICONSA", 10},
	{"CAR-ALTO", "DIF-MUN", 50},
	{"CAR-ALTO", "CLINICA", 5},
	{"CAR-ALTO", "HOSPITAL", 10},
	{"CAR-ALTO", "INST-FED", 50},
	{"CAR-ALTO", "MP", 10},
	{"CAR-ALTO", "PROCURADURIA", 50},
	{"CAR-ALTO", "FEVIMTRA-OFI", 200},
	{"CAR-ALTO", "FEVIMTRA-EVT", 200},
	{"CAR-ALTO", "CENTRAL-AUTOBUS", 100},
	{"CAR-ALTO", "AEROPUERTO", 100},
	{"CAR-ALTO", "HOTEL", 3},
	{"CAR-ALTO", "ASIST-PUB", 10},
	// Women: welfare, health and justice offices, shelters.
	{"CAR-VIOLENCIA", "DIF-MUN", 50},
	{"CAR-VIOLENCIA", "DIF-EST", 100},
	{"CAR-VIOLENCIA", "LICONSA", 15},
	{"CAR-VIOLENCIA", "ASIST-PUB", 20},
	{"CAR-VIOLENCIA", "CLINICA", 10},
	{"CAR-VIOLENCIA", "HOSPITAL", 10},
	{"CAR-VIOLENCIA", "MP", 20},
	{"CAR-VIOLENCIA", "ONG", 5},
	{"CAR-VIOLENCIA", "ONG-ALBERGUE", 20},
	{"CAR-VIOLENCIA", "BIBLIOTECA", 5},
	// Children: schools and the DIF.
	{"CAR-NINOS", "ESC-PRIM", 4},
	{"CAR-NINOS", "ESC-SEC", 2},
	{"CAR-NINOS", "DIF-MUN", 50},
	{"CAR-NINOS", "DIF-EST", 100},
	{"CAR-NINOS", "BIBLIOTECA", 5},
	{"CAR-NINOS", "CLINICA", 2},
	// The hand-out with the hotline, for anyone: the largest print run.
	{"VOL-DENUNCIA", "ESC-SEC", 20},
	{"VOL-DENUNCIA", "ESC-PREP", 50},
	{"VOL-DENUNCIA", "LICONSA", 80},
	{"VOL-DENUNCIA", "BIBLIOTECA", 50},
	{"VOL-DENUNCIA", "CLINICA", 30},
	{"VOL-DENUNCIA", "HOSPITAL", 50},
	{"VOL-DENUNCIA", "CENTRAL-AUTOBUS", 1000},
	{"VOL-DENUNCIA", "AEROPUERTO", 1000},
	{"VOL-DENUNCIA", "FEVIMTRA-EVT", 2000},
	{"VOL-DENUNCIA", "INST-FED", 200},
	{"VOL-DENUNCIA", "MP", 50},
	{"VOL-DENUNCIA", "DIF-MUN", 200},
	{"VOL-DENUNCIA", "ASIST-PUB", 100},
	// Victims: migration, transport, health, NGOs, prosecutors.
	{"VOL-VICTIMAS", "INM-OFI", 2000},
	{"VOL-VICTIMAS", "INM-EST", 3000},
	{"VOL-VICTIMAS", "CENTRAL-AUTOBUS", 1500},
	{"VOL-VICTIMAS", "AEROPUERTO", 500},
	{"VOL-VICTIMAS", "CLINICA", 40},
	{"VOL-VICTIMAS", "HOSPITAL", 60},
	{"VOL-VICTIMAS", "ONG", 100},
	{"VOL-VICTIMAS", "ONG-ALBERGUE", 300},
	{"VOL-VICTIMAS", "DIF-MUN", 200},
	{"VOL-VICTIMAS", "MP", 30},
	// Migrants: migration offices and stations, terminals, migrant NGOs.
	{"VOL-MIGRANTES", "INM-OFI", 2000},
	{"VOL-MIGRANTES", "INM-EST", 3000},
	{"VOL-MIGRANTES", "CENTRAL-AUTOBUS", 800},
	{"VOL-MIGRANTES", "ONG", 50},
	{"VOL-MIGRANTES", "ONG-ALBERGUE", 100},
	// General public: older students, libraries, federal offices, agency events.
	{"FOL-TRATA", "ESC-PREP", 40},
	{"FOL-TRATA", "BIBLIOTECA", 50},
	{"FOL-TRATA", "INST-FED", 300},
	{"FOL-TRATA", "FEVIMTRA-OFI", 1000},
	{"FOL-TRATA", "FEVIMTRA-EVT", 1500},
	{"FOL-TRATA", "ONG", 50},
	{"FOL-TRATA", "DIF-MUN", 200},
	{"FOL-TRATA", "ASIST-PUB", 50},
	{"FOL-TRATA", "MP", 30},
	{"FOL-TRATA", "HOSPITAL", 20},
	{"FOL-TRATA", "CLINICA", 10},
	// Women: welfare (Liconsa reaches mothers), health, prosecutors, shelters.
	{"FOL-VIOLENCIA", "DIF-MUN", 300},
	{"FOL-VIOLENCIA", "DIF-EST", 1000},
	{"FOL-VIOLENCIA", "LICONSA", 60},
	{"FOL-VIOLENCIA", "ASIST-PUB", 100},
	{"FOL-VIOLENCIA", "CLINICA", 30},
	{"FOL-VIOLENCIA", "HOSPITAL", 30},
	{"FOL-VIOLENCIA", "MP", 50},
	{"FOL-VIOLENCIA", "ONG-ALBERGUE", 300},
	{"FOL-VIOLENCIA", "ONG", 30},
	// Children: elementary schools (a class set each), DIF, libraries.
	{"FOL-NINOS", "ESC-PRIM", 15},
	{"FOL-NINOS", "DIF-MUN", 200},
	{"FOL-NINOS", "DIF-EST", 500},
	{"FOL-NINOS", "BIBLIOTECA", 30},
	// The announcement's demand-side leaflet: nightclubs, hotels, airports and bus terminals, exactly.
	{"TRI-DELITO", "NOCTURNO", 150},
	{"TRI-DELITO", "HOTEL", 80},
	{"TRI-DELITO", "AEROPUERTO", 2000},
	{"TRI-DELITO", "CENTRAL-AUTOBUS", 1000},
	// Victims' rights: where victims meet officials (prosecutors, migration, health) and shelters.
	{"TRI-DERECHOS", "MP", 100},
	{"TRI-DERECHOS", "PROCURADURIA", 500},
	{"TRI-DERECHOS", "INM-OFI", 1000},
	{"TRI-DERECHOS", "INM-EST", 1000},
	{"TRI-DERECHOS", "ONG-ALBERGUE", 300},
	{"TRI-DERECHOS", "ONG", 50},
	{"TRI-DERECHOS", "HOSPITAL", 30},
	{"TRI-DERECHOS", "DIF-EST", 500},
	{"TRI-DERECHOS", "DIF-MUN", 100},
	// Schools: for teachers and parents.
	{"TRI-ESCUELA", "ESC-PRIM", 8},
	{"TRI-ESCUELA", "ESC-SEC", 8},
	{"TRI-ESCUELA", "ESC-PREP", 10},
	// Officials: prosecutors, attorneys-general, the agency, federal offices.
	{"CUA-MP", "MP", 20},
	{"CUA-MP", "PROCURADURIA", 100},
	{"CUA-MP", "FEVIMTRA-OFI", 100},
	{"CUA-MP", "FEVIMTRA-EVT", 50},
	{"CUA-MP", "INST-FED", 5},
	// Officials who meet possible victims first: migration, health, DIF.
	{"CUA-IDENTIFICA", "INM-OFI", 100},
	{"CUA-IDENTIFICA", "INM-EST", 100},
	{"CUA-IDENTIFICA", "HOSPITAL", 4},
	{"CUA-IDENTIFICA", "DIF-EST", 50},
	{"CUA-IDENTIFICA", "DIF-MUN", 10},
	{"CUA-IDENTIFICA", "INST-FED", 10},
	{"CUA-IDENTIFICA", "FEVIMTRA-OFI", 50},
	{"CUA-IDENTIFICA", "MP", 2},
	// Officials' training flip-chart: one or a few per office.
	{"ROT-CAPACITA", "FEVIMTRA-EVT", 10},
	{"ROT-CAPACITA", "PROCURADURIA", 10},
	{"ROT-CAPACITA", "FEVIMTRA-OFI", 10},
	{"ROT-CAPACITA", "INST-FED", 2},
	{"ROT-CAPACITA", "MP", 1},
	{"ROT-CAPACITA", "INM-OFI", 5},
	{"ROT-CAPACITA", "DIF-EST", 5},
	// Children's flip-chart: too few for schools, so for DIF programmes, libraries and NGOs.
	{"ROT-ESCUELA", "DIF-MUN", 10},
	{"ROT-ESCUELA", "DIF-EST", 20},
	{"ROT-ESCUELA", "BIBLIOTECA", 2},
	{"ROT-ESCUELA", "ONG", 1},
}

func buildTargeting() []planner.TargetingRule {
	out := make([]planner.TargetingRule, 0, len(targets))
	for _, t := range targets {
		out = append(out, planner.TargetingRule{Material: t.Material, Category: t.Category, PerVenue: t.PerVenue})
	}
	return out
}

// buildLocks fixes the cells decided by hand: the agency's own events in
// Mexico City (launch and training events planned before the allocation)
// and the Cancún hotels for the spring-break season in March.
func buildLocks() []planner.Lock {
	return []planner.Lock{
		{Material: "VOL-DENUNCIA", City: "MEX", Category: "FEVIMTRA-EVT", Pieces: 50_000},
		{Material: "FOL-TRATA", City: "MEX", Category: "FEVIMTRA-EVT", Pieces: 20_000},
		{Material: "ROT-CAPACITA", City: "MEX", Category: "FEVIMTRA-EVT", Pieces: 120},
		{Material: "TRI-DELITO", City: "CUN", Category: "HOTEL", Pieces: 30_000},
	}
}
