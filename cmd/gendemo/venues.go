package main

// venueSpec is one registered venue. City is empty when the venue is given
// by coordinates only and the planner must assign it by radius; Expect is
// the city that assignment must give ("" for a coverage gap), checked by
// the generator so that a change of radius cannot silently move a venue.
// Coordinates are approximate (about 100 m for public places); the
// confidential shelters are placed at their city's centre on purpose.
type venueSpec struct {
	ID, Name, Category string
	Lat, Lon           float64
	City               string
	Confidential       bool
	Expect             string
}

var venues = []venueSpec{
	// Mexico City: the airport, the four intercity bus terminals and the
	// national offices of the agency and of the DIF.
	{"v-0001", "Aeropuerto Internacional de la Ciudad de México", "AEROPUERTO", 19.4361, -99.0719, "MEX", false, "MEX"},
	{"v-0002", "Terminal de Autobuses de Pasajeros de Oriente (TAPO)", "CENTRAL-AUTOBUS", 19.4297, -99.1122, "", false, "MEX"},
	{"v-0003", "Terminal Central de Autobuses del Norte", "CENTRAL-AUTOBUS", 19.4793, -99.1408, "", false, "MEX"},
	{"v-0004", "Terminal Central de Autobuses del Sur (Taxqueña)", "CENTRAL-AUTOBUS", 19.3443, -99.1400, "MEX", false, "MEX"},
	{"v-0005", "Terminal de Autobuses del Poniente (Observatorio)", "CENTRAL-AUTOBUS", 19.3985, -99.2003, "", false, "MEX"},
	{"v-0006", "Oficinas centrales de FEVIMTRA (PGR)", "FEVIMTRA-OFI", 19.4310, -99.1600, "MEX", false, "MEX"},
	{"v-0007", "Sistema Nacional DIF, oficinas centrales", "DIF-NAC", 19.3660, -99.1580, "MEX", false, "MEX"},
	{"v-0008", "Estación Migratoria Iztapalapa", "INM-EST", 19.3570, -99.0735, "MEX", false, "MEX"},

	// Southern border.
	{"v-0009", "Estación Migratoria Siglo XXI", "INM-EST", 14.8890, -92.2836, "", false, "TAP"},
	{"v-0010", "Aeropuerto Internacional de Tapachula", "AEROPUERTO", 14.7943, -92.3700, "", false, "TAP"},
	{"v-0011", "Terminal de autobuses de Tapachula", "CENTRAL-AUTOBUS", 14.9086, -92.2580, "TAP", false, "TAP"},

	// Northern border, tourism and the big metros. The Nueva Central
	// Camionera is given its city because it lies in Tlaquepaque but is
	// nearer to Tonalá's centre, where the radius rule would put it.
	{"v-0012", "Aeropuerto Internacional de Tijuana", "AEROPUERTO", 32.5411, -116.9700, "TIJ", false, "TIJ"},
	{"v-0013", "Central Camionera de Tijuana", "CENTRAL-AUTOBUS", 32.5066, -116.9640, "TIJ", false, "TIJ"},
	{"v-0014", "Aeropuerto Internacional de Ciudad Juárez", "AEROPUERTO", 31.6361, -106.4289, "", false, "CJS"},
	{"v-0015", "Aeropuerto Internacional de Cancún", "AEROPUERTO", 21.0365, -86.8771, "", false, "CUN"},
	{"v-0016", "Aeropuerto Internacional de Monterrey", "AEROPUERTO", 25.7785, -100.1069, "MTY", false, "MTY"},
	{"v-0017", "Aeropuerto Internacional de Guadalajara", "AEROPUERTO", 20.5218, -103.3112, "", false, "GDL"},
	{"v-0018", "Nueva Central Camionera de Guadalajara", "CENTRAL-AUTOBUS", 20.6247, -103.2645, "TLAQ", false, "TLAQ"},

	// Shelters: names and places are not for public disclosure.
	{"v-0019", "Albergue confidencial 1", "ONG-ALBERGUE", 19.43, -99.13, "MEX", true, "MEX"},
	{"v-0020", "Albergue confidencial 2", "ONG-ALBERGUE", 19.43, -99.13, "MEX", true, "MEX"},
	{"v-0021", "Albergue confidencial 3", "ONG-ALBERGUE", 19.43, -99.13, "", true, "MEX"},
	{"v-0022", "Albergue confidencial 4", "ONG-ALBERGUE", 14.90, -92.26, "", true, "TAP"},
	{"v-0023", "Albergue confidencial 5", "ONG-ALBERGUE", 32.50, -117.00, "TIJ", true, "TIJ"},
	{"v-0024", "Albergue confidencial 6", "ONG-ALBERGUE", 31.72, -106.46, "", true, "CJS"},

	// Outside every city's radius: coverage gaps on the migrant route.
	{"v-0025", "Punto de internación El Ceibo (INM)", "INM-OFI", 17.2558, -90.9917, "", false, ""},
	{"v-0026", "Casa de migrantes en Ciudad Ixtepec", "ONG", 16.5617, -95.1000, "", false, ""},
	{"v-0027", "Casa de migrantes en Arriaga", "ONG", 16.2360, -93.8990, "", false, ""},
}
