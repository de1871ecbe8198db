package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/reparto/reparto/planner/planio"
)

// TestAllocationCSVSameFromPlanAndWebExport: allocation.csv written by
// `reparto plan` and downloaded from the web export of the same campaign
// (the demo, before any commit, so the export is the live preview) are
// byte for byte the same file, because both come from planio.
func TestAllocationCSVSameFromPlanAndWebExport(t *testing.T) {
	dir := t.TempDir()
	e, _, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"plan", "--campaign", demoFile, "--out", dir}, e); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, errb)
	}
	fromPlan, err := os.ReadFile(filepath.Join(dir, "allocation.csv"))
	if err != nil {
		t.Fatal(err)
	}

	db := filepath.Join(t.TempDir(), "r.db")
	base, _ := startServe(t, map[string]string{"REPARTO_DB": db, "REPARTO_BCRYPT_COST": "4"})
	_, token := plannerToken(t, db)
	r := call(t, "GET", base+"/api/v1/campaigns", token, "")
	var list struct {
		Campaigns []struct {
			ID int64 `json:"id"`
		} `json:"campaigns"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &list) != nil || len(list.Campaigns) != 1 {
		t.Fatalf("campaigns: %d %s", r.status, r.body)
	}
	r = call(t, "GET", fmt.Sprintf("%s/api/v1/campaigns/%d/exports/allocation.csv", base, list.Campaigns[0].ID), token, "")
	if r.status != 200 {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	// The download is the command's file framed for spreadsheets: the
	// byte-order mark in front and CRLF line ends, nothing else.
	framed := append([]byte(planio.UTF8BOM), bytes.ReplaceAll(fromPlan, []byte("\n"), []byte("\r\n"))...)
	if !bytes.Equal(r.body, framed) {
		t.Errorf("allocation.csv differs: reparto plan wrote %d bytes starting %q, the web export %d bytes starting %q",
			len(fromPlan), fromPlan[:min(len(fromPlan), 80)], len(r.body), r.body[:min(len(r.body), 80)])
	}
	if !bytes.HasPrefix(fromPlan, []byte("material,city,category,")) || bytes.Contains(fromPlan, []byte("\r")) {
		t.Errorf("reparto plan's allocation.csv is not plain UTF-8 with LF line ends: %q", fromPlan[:min(len(fromPlan), 80)])
	}
}
