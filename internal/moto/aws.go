package moto

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Region is the region tests use; moto accepts any.
const Region = "us-west-2"

// Config returns an SDK configuration for the server: fake static
// credentials (never real ones), Region, and BaseEndpoint set to s.URL.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAMOTOTESTING", "moto-test-secret", ""),
		BaseEndpoint: aws.String(s.URL),
	}
}
