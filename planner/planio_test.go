package planner_test

import (
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// The tests of package planner read campaign files with planio's reader
// (see ParseCampaign in campaignfile_test.go). This external test package
// may import planio, and runs before any test.
func init() { planner.ParseCampaign = planio.ParseCampaign }
