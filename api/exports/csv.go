package exports

import (
	"io"

	"github.com/reparto/reparto/planner/planio"
)

// The web's CSV files follow planio's rules (BOM, CRLF, formula guard,
// plain digits), the same writer the command line uses, so a file has the
// same bytes whichever way it was made.
type csvOut = planio.CSV

func newCSVOut(w io.Writer) *csvOut { return planio.NewSpreadsheetCSV(w) }
