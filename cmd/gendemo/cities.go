package main

// trait marks what a city is for the venue-count rules and the README.
type trait uint

const (
	capital    trait = 1 << iota // state capital (seat of state-level offices)
	airport                      // has a commercial airport with scheduled flights (2009)
	border                       // land border crossing (north or south)
	tourism                      // international tourist destination
	inmStation                   // has an INM migrant holding station (estación migratoria)
	fill                         // chosen only by the "most populous remaining" rule
)

func (t trait) has(x trait) bool { return t&x != 0 }

// citySpec is one of the 70 campaign cities. Name, coordinates and
// population come from mx_places.csv by GeoNames id; the state comes from
// the state polygons, never from GeoNames' admin1 code.
type citySpec struct {
	GeonamesID int64
	Code       string // IATA code of its airport when it has one, else 4 letters
	Name       string // Spanish display name (GeoNames uses "Mexico City", "Juárez", "Tuxtla"...)
	RadiusKm   float64
	Priority   string // exact decimal literal
	Note       string // why the priority is above 1
	Traits     trait
}

// noteTourism is the priority note shared by the international resorts.
const noteTourism = "Destino turístico internacional: riesgo de explotación sexual comercial"

// cities lists the campaign's cities: the 32 state capitals, the cities the
// 2009 announcement names, the border, transit and tourism hotspots, and then
// the most populous remaining cities (trait fill) up to exactly 70.
var cities = []citySpec{
	// State capitals, in state code order.
	{4019233, "AGU", "Aguascalientes", 15, "1", "", capital | airport},
	{3996069, "MXL", "Mexicali", 15, "1.5", "Frontera norte: cruce hacia Calexico (EE. UU.)", capital | airport | border | inmStation},
	{4000900, "LAP", "La Paz", 15, "1", "", capital | airport},
	{3531732, "CPE", "Campeche", 15, "1", "", capital | airport},
	{3515001, "TGZ", "Tuxtla Gutiérrez", 15, "1.2", "Ruta migratoria del sur: capital de Chiapas", capital | airport | inmStation},
	{4014338, "CUU", "Chihuahua", 15, "1", "", capital | airport | inmStation},
	{3988086, "SLW", "Saltillo", 15, "1", "", capital | airport | inmStation},
	{4013516, "CLQ", "Colima", 15, "1", "", capital | airport},
	{3530597, "MEX", "Ciudad de México", 30, "1.2", "Principal centro de tránsito y destino de víctimas del país", capital | airport | inmStation},
	{4011743, "DGO", "Durango", 15, "1", "", capital | airport},
	{4005270, "GUAN", "Guanajuato", 15, "1", "", capital},
	{3530870, "CHIL", "Chilpancingo", 15, "1", "", capital},
	{3522210, "PACH", "Pachuca", 15, "1", "", capital},
	{4005539, "GDL", "Guadalajara", 25, "1", "", capital | airport | inmStation},
	{3515302, "TLC", "Toluca", 15, "1", "", capital | airport},
	{3995402, "MLM", "Morelia", 15, "1", "", capital | airport},
	{3529947, "CVJ", "Cuernavaca", 15, "1", "", capital | airport},
	{3981941, "TPQ", "Tepic", 15, "1", "", capital | airport},
	{3995465, "MTY", "Monterrey", 25, "1", "", capital | airport | inmStation},
	{3522507, "OAX", "Oaxaca de Juárez", 15, "1.2", "Ruta migratoria del sur (corredor del Istmo)", capital | airport | inmStation},
	{3521081, "PBC", "Puebla", 25, "1", "", capital | airport | inmStation},
	{3991164, "QRO", "Querétaro", 15, "1", "", capital | airport | inmStation},
	{3531023, "CTM", "Chetumal", 15, "1.5", "Frontera sur: cruce desde Belice", capital | airport | border | inmStation},
	{3985606, "SLP", "San Luis Potosí", 15, "1", "", capital | airport | inmStation},
	{4012176, "CUL", "Culiacán", 15, "1", "", capital | airport},
	{4004898, "HMO", "Hermosillo", 15, "1", "", capital | airport | inmStation},
	{3514670, "VSA", "Villahermosa", 15, "1.2", "Ruta migratoria del sur: paso hacia el Golfo", capital | airport | inmStation},
	{3530580, "CVM", "Ciudad Victoria", 15, "1", "", capital | airport},
	{3815415, "TLAX", "Tlaxcala", 15, "1.5", "Capital del estado donde operan redes de trata documentadas (sur de Tlaxcala)", capital},
	{3526617, "XALA", "Xalapa", 15, "1", "", capital},
	{3523349, "MID", "Mérida", 15, "1", "", capital | airport},
	{3979844, "ZCL", "Zacatecas", 15, "1", "", capital | airport},

	// Named by the 2009 announcement (besides capitals).
	{3516266, "TAP", "Tapachula", 20, "2", "Frontera sur: principal punto de entrada de migrantes desde Guatemala", airport | border | inmStation},
	{3981609, "TIJ", "Tijuana", 25, "2", "Frontera norte: cruce hacia San Diego (EE. UU.), el más transitado; explotación sexual documentada", airport | border | inmStation},
	{4013708, "CJS", "Ciudad Juárez", 25, "2", "Frontera norte: cruce hacia El Paso (EE. UU.); violencia y desaparición de mujeres", airport | border | inmStation},
	{3531673, "CUN", "Cancún", 25, "1.5", noteTourism, airport | tourism | inmStation},
	{3533462, "ACA", "Acapulco", 20, "1.5", "Destino turístico: explotación sexual comercial infantil documentada", airport | tourism},
	{3516225, "TAXC", "Taxco", 15, "1.2", "Destino turístico nombrado por la fuente", tourism},
	{3532792, "APIZ", "Apizaco", 15, "1.5", "Corredor Tenancingo–Apizaco: reclutamiento por redes de trata", 0},
	{3815451, "TENA", "Tenancingo", 10, "2", "Origen documentado de redes de trata con fines de explotación sexual", 0},
	{3530367, "COMI", "Comitán de Domínguez", 15, "1.5", "Frontera sur: ruta de migrantes desde La Mesilla (Guatemala)", border | inmStation},
	{3519537, "SCLC", "San Cristóbal de las Casas", 15, "1.5", "Ruta migratoria del sur y destino turístico", tourism | inmStation},

	// Border, transit and tourism hotspots.
	{3530595, "CDHI", "Ciudad Hidalgo", 10, "2", "Frontera sur: cruce principal de migrantes desde Guatemala (río Suchiate)", border | inmStation},
	{3515956, "TENO", "Tenosique", 15, "1.5", "Frontera sur: entrada por El Ceibo y salida del tren de carga hacia el norte", border | inmStation},
	{3522551, "NLD", "Nuevo Laredo", 15, "1.5", "Frontera norte: cruce hacia Laredo (EE. UU.), el de mayor tráfico terrestre", airport | border | inmStation},
	{3520339, "REX", "Reynosa", 15, "1.5", "Frontera norte: cruce hacia McAllen (EE. UU.)", airport | border | inmStation},
	{3523466, "MAM", "Matamoros", 15, "1.5", "Frontera norte: cruce hacia Brownsville (EE. UU.)", airport | border | inmStation},
	{4004886, "NOGA", "Nogales", 15, "1.5", "Frontera norte: cruce hacia Nogales, Arizona (EE. UU.)", border | inmStation},
	{3992619, "PNEG", "Piedras Negras", 15, "1.5", "Frontera norte: cruce hacia Eagle Pass (EE. UU.)", border | inmStation},
	{3514783, "VER", "Veracruz", 15, "1.2", "Puerto y paso de la ruta migratoria del Golfo", airport | inmStation},
	{3991328, "PVR", "Puerto Vallarta", 20, "1.5", noteTourism, airport | tourism},
	{3521342, "PLAY", "Playa del Carmen", 15, "1.5", noteTourism, tourism},
	{3996322, "MZT", "Mazatlán", 15, "1.2", "Puerto y destino turístico", airport | tourism},
	{3986172, "SJD", "San José del Cabo", 30, "1.2", "Destino turístico internacional (Los Cabos)", airport | tourism},

	// Most populous remaining cities (mx_places.csv order, Ciudad de México's
	// alcaldías excluded because the capital already stands for them).
	{3529612, "ECAT", "Ecatepec de Morelos", 10, "1", "", fill},
	{3998655, "BJX", "León", 20, "1", "", fill | airport},
	{3979770, "ZAPO", "Zapopan", 10, "1", "", fill},
	{3530589, "NEZA", "Ciudad Nezahualcóyotl", 8, "1", "", fill},
	{3522790, "NAUC", "Naucalpan de Juárez", 8, "1", "", fill},
	{4005492, "GPNL", "Guadalupe", 8, "1", "", fill},
	{3515431, "TLAL", "Tlalnepantla de Baz", 8, "1", "", fill},
	{3517270, "CHIM", "Chimalhuacán", 8, "1", "", fill},
	{3981254, "TRC", "Torreón", 20, "1", "", fill | airport},
	{3981461, "TLAQ", "Tlaquepaque", 8, "1", "", fill},
	{3532624, "ATIZ", "Ciudad López Mateos", 8, "1", "", fill},
	{3515807, "IZCA", "Cuautitlán Izcalli", 8, "1", "", fill},
	{4018390, "APOD", "Ciudad Apodaca", 8, "1", "", fill},
	{3985241, "SNIC", "San Nicolás de los Garza", 8, "1", "", fill},
	{3981369, "TONA", "Tonalá", 8, "1", "", fill},
	{4004330, "IRAP", "Irapuato", 15, "1", "", fill},
}
