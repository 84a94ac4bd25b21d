// Command motoworkshop seeds a running moto_server with what
// scenarios/workshop.yaml expects to find (two Auto Scaling groups, the
// cluster container-demo and the service ecsdemo-capacityproviders-ec2), so
// cpapply can be tried without AWS:
//
//	moto_server -H 127.0.0.1 -p 5000 &
//	go run ./internal/moto/motoworkshop http://127.0.0.1:5000
//
// It uses fake credentials and talks only to the URL given.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/cpsim/cpsim/internal/moto"
)

func main() {
	if len(os.Args) != 2 || !strings.HasPrefix(os.Args[1], "http") {
		fmt.Fprintln(os.Stderr, "usage: motoworkshop http://127.0.0.1:PORT")
		os.Exit(2)
	}
	cfg := aws.Config{
		Region:       moto.Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAMOTOTESTING", "moto-test-secret", ""),
		BaseEndpoint: aws.String(os.Args[1]),
	}
	if err := moto.CreateWorkshop(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "motoworkshop:", err)
		os.Exit(1)
	}
	fmt.Println("created the workshop's Auto Scaling groups, cluster container-demo and service ecsdemo-capacityproviders-ec2")
}
