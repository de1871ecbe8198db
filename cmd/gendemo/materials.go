package main

// materialSpec is one of the 19 printed materials. Quantities are estimates
// (the announcement gives only the total of 7.8 million pieces and the
// formats); pack sizes and weights follow common Mexican print-shop practice
// and are explained in assets/data/README.md.
type materialSpec struct {
	Code, Name, Format, Audience string
	Printed                      int64
	ReservePct                   string // exact decimal literal
	PackSize, PacksPerBox        int64
	PieceGrams                   string // exact decimal literal
}

// totalPrinted is the campaign total announced in January 2009.
const totalPrinted = 7_800_000

// Sizes and weights by format (see README): posters 60×40 cm couché 150 g/m²,
// flyers half letter bond 90 g/m², pamphlets 8 pages half letter, 3-part
// leaflets letter couché 150 g/m², brochures 40-page manuals, flip-charts
// 12 sheets 60×90 cm on a card easel.
var materials = []materialSpec{
	{"CAR-VICTIMAS", "Cartel: ¿Te prometieron trabajo y no te dejan ir? Denuncia", "poster", "victims", 250_000, "2", 25, 20, "36"},
	{"CAR-MIGRANTES", "Cartel: Migrante, no estás solo. La trata es un delito", "poster", "victims", 120_000, "2", 25, 20, "36"},
	{"CAR-DEMANDA", "Cartel: Detrás del comercio sexual puede haber una víctima de trata", "poster", "demand", 150_000, "2", 25, 20, "36"},
	{"CAR-ALTO", "Cartel: Alto a la trata de personas", "poster", "public", 300_000, "2.5", 25, 20, "36"},
	{"CAR-VIOLENCIA", "Cartel: Vivir sin violencia es tu derecho", "poster", "public", 200_000, "2.5", 25, 20, "36"},
	{"CAR-NINOS", "Cartel: Tu cuerpo es tuyo. Nadie puede obligarte", "poster", "children", 200_000, "2", 25, 20, "36"},
	{"VOL-DENUNCIA", "Volante: Denuncia la trata de personas (línea gratuita 01 800)", "flyer", "public", 1_500_000, "3", 100, 50, "3"},
	{"VOL-VICTIMAS", "Volante: Si te obligan a trabajar, pide ayuda", "flyer", "victims", 900_000, "3", 100, 50, "3"},
	{"VOL-MIGRANTES", "Volante: Derechos de las personas migrantes en México", "flyer", "victims", 400_000, "3", 100, 50, "3"},
	{"FOL-TRATA", "Folleto: ¿Qué es la trata de personas?", "pamphlet", "public", 900_000, "2.5", 100, 12, "12"},
	{"FOL-VIOLENCIA", "Folleto: Violencia contra las mujeres, cómo pedir ayuda", "pamphlet", "victims", 600_000, "2.5", 100, 12, "12"},
	{"FOL-NINOS", "Folleto: Cuídate. Que nadie te engañe", "pamphlet", "children", 700_000, "2.5", 100, 12, "12"},
	{"TRI-DELITO", "Tríptico: La trata de personas es un delito y se castiga por la ley", "leaflet", "demand", 600_000, "2", 100, 20, "9"},
	{"TRI-DERECHOS", "Tríptico: Derechos de las víctimas de trata", "leaflet", "victims", 400_000, "2.5", 100, 20, "9"},
	{"TRI-ESCUELA", "Tríptico: Prevención de la trata en la escuela", "leaflet", "children", 500_000, "2.5", 100, 20, "9"},
	{"CUA-MP", "Cuadernillo: Atención a víctimas de trata para el ministerio público", "brochure", "officials", 40_000, "5", 10, 12, "120"},
	{"CUA-IDENTIFICA", "Cuadernillo: Identificación de posibles víctimas de trata", "brochure", "officials", 30_000, "5", 10, 12, "120"},
	{"ROT-CAPACITA", "Rotafolio: Capacitación sobre trata de personas", "flipchart", "officials", 4_000, "3", 1, 10, "1400"},
	{"ROT-ESCUELA", "Rotafolio: La trata explicada a niñas y niños", "flipchart", "children", 6_000, "3", 1, 10, "1400"},
}
