// Package bench holds cpsim's benchmarks at the sizes ECS allows: 5,000
// container instances per cluster, services of tens of thousands of tasks,
// and the Kubernetes cluster-autoscaler's binpacking shape as the peer to
// beat. It has no code of its own; see bench_test.go and README.md.
//
// Run them with
//
//	go test ./bench -run '^$' -bench . -benchmem -count 6 | tee new.txt
//	benchstat old.txt new.txt
package bench
