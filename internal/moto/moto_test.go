package moto_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/cpsim/cpsim/internal/moto"
)

// TestWorkshopAndReset checks the harness: the fixture creates the
// workshop's cluster and service, and Reset drops them.
func TestWorkshopAndReset(t *testing.T) {
	s := moto.Start(t)
	moto.Workshop(t, s)
	e := ecs.NewFromConfig(s.Config())
	ctx := context.Background()
	count := func() int {
		out, err := e.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(moto.WorkshopCluster), Services: []string{moto.WorkshopService}})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Services)
	}
	if n := count(); n != 1 {
		t.Fatalf("after Workshop: %d services, want 1", n)
	}
	s.Reset(t)
	out, err := e.ListClusters(ctx, &ecs.ListClustersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ClusterArns) != 0 {
		t.Errorf("after Reset: clusters %v, want none", out.ClusterArns)
	}
}
