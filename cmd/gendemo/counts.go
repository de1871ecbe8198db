package main

// countRule estimates how many venues of one category a city has. Every
// rule is documented, with its source or reasoning, in the table of
// assets/data/README.md; keep the two in step.
type countRule struct {
	Category string
	Count    func(k cityRow) int64
}

// perMillion rounds population × rate / 1,000,000 to the nearest whole
// venue, in integers so that the output never depends on float rounding,
// and never returns less than min.
func perMillion(pop, rate, min int64) int64 {
	n := (pop*rate + 500_000) / 1_000_000
	return max(n, min)
}

// onlyIf returns n for cities with any of the traits, else 0.
func onlyIf(k cityRow, t trait, n int64) int64 {
	if k.Traits.has(t) {
		return n
	}
	return 0
}

// boosted multiplies the rate for cities with any of the traits: border
// towns and tourist destinations have far more hotels, bars and nightclubs
// than their resident population suggests.
func boosted(k cityRow, rate int64, t trait, factor int64) int64 {
	if k.Traits.has(t) {
		return rate * factor
	}
	return rate
}

// countRules are applied to every city; a rule returning 0 writes no row.
var countRules = []countRule{
	{"DIF-MUN", func(k cityRow) int64 { return perMillion(k.Pop, 4, 1) }},
	{"DIF-EST", func(k cityRow) int64 { return onlyIf(k, capital, 1) }},
	{"LICONSA", func(k cityRow) int64 { return perMillion(k.Pop, 60, 1) }},
	{"ASIST-PUB", func(k cityRow) int64 { return perMillion(k.Pop, 10, 1) }},
	{"INM-OFI", func(k cityRow) int64 { return onlyIf(k, capital|border|tourism, 1+k.Pop/5_000_000) }},
	{"INM-EST", func(k cityRow) int64 { return onlyIf(k, inmStation, 1) }},
	{"ESC-PRIM", func(k cityRow) int64 { return perMillion(k.Pop, 800, 5) }},
	{"ESC-SEC", func(k cityRow) int64 { return perMillion(k.Pop, 300, 2) }},
	{"ESC-PREP", func(k cityRow) int64 { return perMillion(k.Pop, 120, 1) }},
	{"ONG", func(k cityRow) int64 { return perMillion(k.Pop, 30, 1) }},
	{"ONG-ALBERGUE", func(k cityRow) int64 {
		if k.Traits.has(capital|border) || k.HighPriority {
			return 1 + k.Pop/2_000_000
		}
		return 0
	}},
	{"FEVIMTRA-OFI", func(k cityRow) int64 { return onlyIf(k, capital, 1) }},
	{"FEVIMTRA-EVT", func(k cityRow) int64 {
		switch {
		case k.Pop >= 5_000_000:
			return perMillion(k.Pop, 1, 0)
		case k.HighPriority:
			return 2
		default:
			return onlyIf(k, capital, 1)
		}
	}},
	{"HOTEL", func(k cityRow) int64 {
		if k.Traits.has(tourism) {
			return perMillion(k.Pop, 360, 30)
		}
		return perMillion(k.Pop, 60, 2)
	}},
	{"BAR", func(k cityRow) int64 { return perMillion(k.Pop, boosted(k, 150, border|tourism, 2), 3) }},
	{"NOCTURNO", func(k cityRow) int64 { return perMillion(k.Pop, boosted(k, 20, border|tourism, 3), 1) }},
	{"DISCO", func(k cityRow) int64 { return perMillion(k.Pop, boosted(k, 15, tourism, 3), 1) }},
	{"SALON-BAILE", func(k cityRow) int64 { return perMillion(k.Pop, 10, 1) }},
	{"AEROPUERTO", func(k cityRow) int64 { return onlyIf(k, airport, 1) }},
	{"CENTRAL-AUTOBUS", func(k cityRow) int64 { return 1 + k.Pop/500_000 }},
	{"MP", func(k cityRow) int64 { return perMillion(k.Pop, 30, 2) }},
	{"PROCURADURIA", func(k cityRow) int64 {
		if k.Traits.has(capital) || k.Pop >= 300_000 {
			return 1
		}
		return 0
	}},
	{"HOSPITAL", func(k cityRow) int64 { return perMillion(k.Pop, 40, 1) }},
	{"CLINICA", func(k cityRow) int64 { return perMillion(k.Pop, 120, 2) }},
	{"BIBLIOTECA", func(k cityRow) int64 { return perMillion(k.Pop, 30, 1) }},
	{"INST-FED", func(k cityRow) int64 {
		switch {
		case k.Pop >= 5_000_000:
			return 40
		case k.Traits.has(capital):
			return 8
		default:
			return 2
		}
	}},
}
