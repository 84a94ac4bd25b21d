// Package catalog holds the EC2 instance types cpsim knows: vCPUs, nominal
// and registered memory, On-Demand prices, and the Spot Instance Advisor's
// interruption-frequency buckets.
//
// Sources (spec/ecs-facts.md §3.4 and §8):
//
//   - vCPU and memory: EC2 DescribeInstanceTypes, as generated into the
//     Karpenter instance-type reference (aws/karpenter-provider-aws,
//     website/content/en/docs/reference/instance-types.md, HEAD 1d927085).
//   - On-Demand prices: us-east-1 Linux list prices, USD per hour, from
//     aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go,
//     generated 2026-07-20 from the AWS Pricing API. us-west-2 prices were not
//     found; for these types they are usually identical (unverified).
//   - Registered memory: the ECS-optimized AMI registers less than nominal.
//     ECS publishes m4.large 7985 MiB, c4.large 3768 MiB and c4.4xlarge
//     30158 MiB (Developer Guide, memory-management and cloudwatch-metrics).
//     For every other type cpsim uses nominal × 0.975 rounded down — a model,
//     not a published figure — which gives t3.small 1996 MiB (three 512 MiB
//     tasks fit, a fourth does not, as the ECS workshop shows).
//   - CPU: 1024 units per vCPU ("A container instance has 1,024 CPU units for
//     every CPU core").
//
// Glossary:
//
//	registered  what the ECS agent reports to the cluster at registration
//	bucket      a Spot Instance Advisor range of monthly interruption rates
package catalog
