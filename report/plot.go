package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/cpsim/cpsim/sim"
)

// PlotFormats are the formats WritePlot draws, by file extension.
var PlotFormats = []string{"svg", "png"}

// The size of a plot: three panels stacked.
const (
	plotWidth  = 8 * vg.Inch
	plotHeight = 9 * vg.Inch
)

// WritePlot draws a result's per-minute series in format "svg" or "png",
// in three panels over simulated minutes: running tasks per capacity
// provider, instances per provider, and CapacityProviderReservation against
// each provider's targetCapacity. Spot interruption notices and lost
// Availability Zones are vertical lines across every panel.
func WritePlot(w io.Writer, r *sim.Result, format string) error {
	var panels []*plot.Plot
	for _, f := range []func(*sim.Result) (*plot.Plot, error){tasksPanel, instancesPanel, reservationPanel} {
		p, err := f(r)
		if err != nil {
			return fmt.Errorf("plot: %w", err)
		}
		for _, m := range markers(r) {
			p.Add(m)
			p.Legend.Add(m.label, m)
		}
		p.X.Label.Text = "simulated minutes"
		p.X.Min = 0
		p.Y.Min = 0
		p.Y.Tick.Marker = intTicks{}
		// Headroom above the data for the legend, top left, before the
		// disruptions a scenario scripts.
		p.Y.Max = max(p.Y.Max, 1) / 0.6
		p.Legend.Top = true
		p.Legend.Left = true
		p.Legend.XOffs = vg.Points(6)
		p.Legend.YOffs = -vg.Points(2)
		panels = append(panels, p)
	}

	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.New(plotWidth, plotHeight)
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(plotWidth, plotHeight), vgimg.UseDPI(96),
			vgimg.UseBackgroundColor(color.White))}
	default:
		return fmt.Errorf("plot: format %q: want svg or png", format)
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadX: vg.Millimeter, PadY: 4 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 4 * vg.Millimeter}
	grid := make([][]*plot.Plot, len(panels))
	for i, p := range panels {
		grid[i] = []*plot.Plot{p}
	}
	canvases := plot.Align(grid, tiles, dc)
	for i, p := range panels {
		p.Draw(canvases[i][0])
	}
	_, err := c.WriteTo(w)
	return err
}

// series draws one value of every provider's samples as a line each.
func series(p *plot.Plot, r *sim.Result, style func(i int) draw.LineStyle, suffix string, value func(sim.ProviderSample) float64) error {
	for i, pr := range r.Providers {
		xys := make(plotter.XYs, len(r.Series))
		for k, s := range r.Series {
			xys[k].X = s.T.Minutes()
			if i < len(s.Providers) {
				xys[k].Y = value(s.Providers[i])
			}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		l.LineStyle = style(i)
		// Samples are per minute; a step reads as "the count until the
		// next sample", not as a ramp nobody saw.
		l.StepStyle = plotter.PostStep
		p.Add(l)
		p.Legend.Add(pr.Name+suffix, l)
	}
	return nil
}

// newPanel is a plot with its grid behind the data.
func newPanel() *plot.Plot {
	p := plot.New()
	p.Add(plotter.NewGrid())
	return p
}

// intTicks labels whole numbers only: counts have no fractions.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ts {
		switch {
		case t.Label == "":
		case t.Value != math.Trunc(t.Value):
			ts[i].Label = "" // a minor tick
		default:
			ts[i].Label = strconv.FormatFloat(t.Value, 'f', 0, 64)
		}
	}
	return ts
}

func solid(i int) draw.LineStyle {
	return draw.LineStyle{Color: plotutil.Color(i), Width: vg.Points(1.5)}
}

func dashed(i int) draw.LineStyle {
	s := solid(i)
	s.Width = vg.Points(1)
	s.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	return s
}

func tasksPanel(r *sim.Result) (*plot.Plot, error) {
	p := newPanel()
	p.Title.Text = "Tasks per capacity provider"
	p.Y.Label.Text = "tasks"
	if err := series(p, r, solid, " running", func(s sim.ProviderSample) float64 { return float64(s.Running) }); err != nil {
		return nil, err
	}
	err := series(p, r, dashed, " pending+provisioning", func(s sim.ProviderSample) float64 { return float64(s.Pending + s.Provisioning) })
	return p, err
}

func instancesPanel(r *sim.Result) (*plot.Plot, error) {
	p := newPanel()
	p.Title.Text = "Container instances per capacity provider"
	p.Y.Label.Text = "instances"
	err := series(p, r, solid, "", func(s sim.ProviderSample) float64 { return float64(s.Instances) })
	return p, err
}

func reservationPanel(r *sim.Result) (*plot.Plot, error) {
	p := newPanel()
	p.Title.Text = "CapacityProviderReservation against targetCapacity"
	p.Y.Label.Text = "percent"
	if err := series(p, r, solid, " reservation", func(s sim.ProviderSample) float64 { return s.Reservation }); err != nil {
		return nil, err
	}
	for i, pr := range r.Providers {
		h := plotter.NewFunction(func(float64) float64 { return float64(pr.TargetCapacity) })
		h.LineStyle = dashed(i)
		p.Add(h)
		p.Legend.Add(fmt.Sprintf("%s targetCapacity %d", pr.Name, pr.TargetCapacity), h)
		p.Y.Max = max(p.Y.Max, float64(pr.TargetCapacity))
	}
	return p, nil
}

// vlines marks times with vertical lines across a panel's whole height.
type vlines struct {
	x     []float64 // minutes
	label string
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (v *vlines) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	for _, x := range v.x {
		X := tx(x)
		c.StrokeLine2(v.style, X, c.Min.Y, X, c.Max.Y)
	}
}

// Thumbnail implements plot.Thumbnailer, for the legend.
func (v *vlines) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(v.style, c.Min.X, y, c.Max.X, y)
}

// markers are the vertical lines of a result: one set per kind of
// disruption that happened, none when nothing did.
func markers(r *sim.Result) []*vlines {
	spot := &vlines{label: "Spot interruption notice",
		style: draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}}
	az := &vlines{label: "Availability Zone lost",
		style: draw.LineStyle{Color: color.RGBA{R: 120, G: 0, B: 160, A: 255}, Width: vg.Points(2)}}
	for _, e := range r.Timeline {
		switch e.Kind {
		case sim.SpotInterruptionNotice:
			spot.x = append(spot.x, e.T.Minutes())
		case sim.AvailabilityZoneLost:
			az.x = append(az.x, e.T.Minutes())
		}
	}
	var ms []*vlines
	for _, m := range []*vlines{spot, az} {
		if len(m.x) > 0 {
			ms = append(ms, m)
		}
	}
	return ms
}
