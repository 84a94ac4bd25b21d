package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/cpsim/cpsim/apply"
	"github.com/cpsim/cpsim/plan"
	"github.com/spf13/pflag"
)

// exitError carries an exit status: 2 for usage errors and for
// plan --detailed-exitcode with changes pending. err nil prints nothing.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// errChangesPending is plan --detailed-exitcode's "there are changes".
var errChangesPending = &exitError{code: 2}

// Replaced by tests.
var (
	stdin      io.Reader = os.Stdin
	isTerminal           = func() bool {
		fi, err := os.Stdin.Stat()
		if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			return false
		}
		// /dev/null is a character device too, and no one answers there.
		null, err := os.Stat(os.DevNull)
		return err != nil || !os.SameFile(fi, null)
	}
)

const usage = `usage: cpapply validate|plan|apply [flags] FILE

Plan and apply ECS capacity providers, the cluster's providers and default
strategy, and services' strategies from a cpsim scenario file.

flags:
`

type options struct {
	cluster, region, profile, endpoint, output string
	autoApprove, prune, detailed, offline      bool
	wait                                       bool
	waitTimeout, pollInterval                  time.Duration
}

func run(args []string, stdout, stderr io.Writer) error {
	var o options
	fs := pflag.NewFlagSet("cpapply", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.cluster, "cluster", "", "cluster name (default: the file's cluster.clusterName)")
	fs.StringVar(&o.region, "region", "", "AWS region (default: the file's region, then AWS_REGION and the shared config)")
	fs.StringVar(&o.profile, "profile", "", "shared config profile (default: AWS_PROFILE or default)")
	fs.StringVar(&o.endpoint, "endpoint-url", "", "send every API call to this endpoint (for example a local moto_server)")
	fs.StringVarP(&o.output, "output", "o", "table", "plan output: table or json")
	fs.BoolVar(&o.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	fs.BoolVar(&o.prune, "prune", false, "disassociate the providers the file does not list, and delete the ones it does not define")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "plan: exit 2 when there are changes, 0 when there are none")
	fs.BoolVar(&o.offline, "offline", false, "validate: only the checks that need no AWS call")
	fs.BoolVar(&o.wait, "wait", false, "apply: wait for updated services to be stable")
	fs.DurationVar(&o.waitTimeout, "wait-timeout", 15*time.Minute, "apply: how long --wait waits")
	fs.DurationVar(&o.pollInterval, "poll-interval", 5*time.Second, "apply: wait between Describe calls while waiting")
	_ = fs.MarkHidden("poll-interval")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, err: err}
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return usageError("want a command and a FILE, got %d arguments", fs.NArg())
	}
	cmd, file := fs.Arg(0), fs.Arg(1)
	switch cmd {
	case "validate", "plan", "apply":
	default:
		return usageError("unknown command %q: want validate, plan or apply", cmd)
	}
	if o.output != "table" && o.output != "json" {
		return usageError("-o %q: want table or json", o.output)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	sc, err := plan.Parse(file, data)
	if err != nil {
		return err
	}
	if cmd == "validate" && o.offline {
		fmt.Fprintf(stdout, "%s: valid (offline checks)\n", file)
		return nil
	}

	ctx := context.Background()
	cfg, err := loadConfig(ctx, o, sc)
	if err != nil {
		return err
	}
	clients := apply.NewClients(cfg)
	if err := apply.ValidateOnline(ctx, clients, sc); err != nil {
		return fmt.Errorf("validate %s:\n%w", file, indented{err})
	}
	if cmd == "validate" {
		fmt.Fprintf(stdout, "%s: valid (offline checks and Auto Scaling group and instance type checks in %s)\n", file, cfg.Region)
		return nil
	}

	st, err := apply.Read(ctx, clients, sc, apply.ReadOptions{Cluster: o.cluster, Prune: o.prune})
	if err != nil {
		return err
	}
	p, err := apply.Diff(sc, st, apply.DiffOptions{Prune: o.prune})
	if err != nil {
		return fmt.Errorf("plan %s:\n%w", file, indented{err})
	}
	if cmd == "plan" {
		if o.output == "json" {
			err = apply.WriteJSON(stdout, p)
		} else {
			err = apply.WriteText(stdout, p)
		}
		if err != nil {
			return err
		}
		if o.detailed && !p.Empty() {
			return errChangesPending
		}
		return nil
	}

	if err := apply.WriteText(stdout, p); err != nil {
		return err
	}
	if p.Empty() {
		return nil
	}
	if !o.autoApprove {
		if !isTerminal() {
			return fmt.Errorf("apply: standard input is not a terminal: pass --auto-approve to apply without confirmation")
		}
		fmt.Fprint(stdout, "\nDo you want to perform these actions? Only 'yes' will be accepted.\n  Enter a value: ")
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if strings.TrimSpace(line) != "yes" {
			return fmt.Errorf("apply cancelled")
		}
	}
	fmt.Fprintln(stdout)
	opt := apply.Options{PollInterval: o.pollInterval, Log: stdout}
	if o.wait {
		opt.WaitStable = o.waitTimeout
	}
	res, err := apply.Apply(ctx, clients, p, opt)
	if err != nil {
		fmt.Fprintf(stderr, "Apply stopped at: %v\n", err)
		var se *apply.StepError
		if errors.As(err, &se) && se.Code != "" {
			fmt.Fprintf(stderr, "  ECS error %s: %s\n", se.Code, se.Message)
		}
		apply.WriteResult(stderr, res)
		fmt.Fprintln(stderr, "Fix the cause and run apply again: it plans from what is there now.")
		return &exitError{code: 1}
	}
	s := p.Summary()
	fmt.Fprintf(stdout, "\nApply complete: %d created, %d updated, %d deleted.\n", s.Create, s.Update, s.Delete)
	return nil
}

// loadConfig loads the SDK configuration the standard way (environment,
// shared config and credentials files, --profile), with the region from
// --region, else the file's, else the environment's.
func loadConfig(ctx context.Context, o options, sc *plan.Scenario) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	region := o.region
	if region == "" {
		region = sc.Region
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if o.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.profile))
	}
	if o.endpoint != "" {
		opts = append(opts, config.WithBaseEndpoint(o.endpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, usageError("no region: set --region, the file's region, or AWS_REGION")
	}
	return cfg, nil
}

// indented prints each line of a joined error indented, one rule a line.
type indented struct{ err error }

func (e indented) Error() string { return "  " + strings.ReplaceAll(e.err.Error(), "\n", "\n  ") }

func (e indented) Unwrap() error { return e.err }
