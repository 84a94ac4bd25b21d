package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(exitCode(run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// exitCode prints err and returns the exit status: 0 success, 2 usage (and
// plan --detailed-exitcode with changes pending), 1 any other failure.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "cpapply:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "cpapply:", err)
	return 1
}
