package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/cpsim/cpsim/sim"
)

// WriteSeries writes a result's per-minute series as CSV: a header
// t_seconds, then for each capacity provider P the columns P_instances,
// P_running, P_pending, P_provisioning (tasks), P_reservation
// (CapacityProviderReservation, percent) and P_cost_usd (the provider's
// cost so far); then one row per sample.
func WriteSeries(w io.Writer, r *sim.Result) error {
	cw := csv.NewWriter(w)
	header := []string{"t_seconds"}
	for _, p := range r.Providers {
		for _, col := range []string{"instances", "running", "pending", "provisioning", "reservation", "cost_usd"} {
			header = append(header, p.Name+"_"+col)
		}
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
	for _, s := range r.Series {
		rec := []string{num(s.T.Seconds(), -1)}
		for _, p := range s.Providers {
			rec = append(rec, strconv.Itoa(p.Instances), strconv.Itoa(p.Running), strconv.Itoa(p.Pending),
				strconv.Itoa(p.Provisioning), num(round(p.Reservation, 2), -1), num(p.Cost, 6))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
