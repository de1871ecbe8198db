package main

// categorySpec is one kind of venue the 2009 announcement lists as a target.
type categorySpec struct {
	Code, Name, Group string
	Sensitive         bool
}

// categories covers every target of the announcement. Shelters run by NGOs
// are a separate, sensitive category: their names and places must not be
// made public, while other NGOs can be listed.
var categories = []categorySpec{
	{"DIF-MUN", "Sistema DIF municipal", "welfare", false},
	{"DIF-EST", "Sistema DIF estatal", "welfare", false},
	{"DIF-NAC", "Sistema Nacional DIF", "welfare", false},
	{"LICONSA", "Lecherías Liconsa", "welfare", false},
	{"ASIST-PUB", "Oficinas de asistencia pública", "welfare", false},
	{"INM-OFI", "Oficinas del Instituto Nacional de Migración", "migration", false},
	{"INM-EST", "Estaciones migratorias", "migration", false},
	{"ESC-PRIM", "Escuelas primarias", "education", false},
	{"ESC-SEC", "Escuelas secundarias", "education", false},
	{"ESC-PREP", "Escuelas de educación media superior", "education", false},
	{"ONG", "Organizaciones de la sociedad civil", "civil society", false},
	{"ONG-ALBERGUE", "Albergues y refugios para víctimas (ONG)", "civil society", true},
	{"FEVIMTRA-OFI", "Oficinas de FEVIMTRA y delegaciones de la PGR", "agency", false},
	{"FEVIMTRA-EVT", "Eventos de FEVIMTRA", "agency", false},
	{"HOTEL", "Hoteles", "hospitality", false},
	{"BAR", "Bares y cantinas", "nightlife", false},
	{"NOCTURNO", "Centros nocturnos", "nightlife", false},
	{"DISCO", "Discotecas", "nightlife", false},
	{"SALON-BAILE", "Salones de baile", "nightlife", false},
	{"AEROPUERTO", "Aeropuertos", "transport", false},
	{"CENTRAL-AUTOBUS", "Centrales de autobuses", "transport", false},
	{"MP", "Agencias del ministerio público", "justice", false},
	{"PROCURADURIA", "Procuradurías generales de justicia", "justice", false},
	{"HOSPITAL", "Hospitales", "health", false},
	{"CLINICA", "Clínicas y centros de salud", "health", false},
	{"BIBLIOTECA", "Bibliotecas públicas", "culture", false},
	{"INST-FED", "Delegaciones de instituciones federales", "federal", false},
}
