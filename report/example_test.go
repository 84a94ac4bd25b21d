package report_test

import (
	"fmt"

	"github.com/cpsim/cpsim/report"
)

func ExampleClock() {
	fmt.Println(report.Clock(0), report.Clock(95), report.Clock(20*60), report.Clock(3723))
	// Output: 0:00 1:35 20:00 1:02:03
}
