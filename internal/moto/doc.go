// Package moto runs moto_server (the moto project's stand-alone AWS mock,
// version 5) for tests that need a real ECS, EC2 and EC2 Auto Scaling API
// endpoint: cpapply's end-to-end tests talk to it through the AWS SDK for
// Go v2 exactly as they would to AWS.
//
// Start launches moto_server on a free 127.0.0.1 port, waits until it
// answers and stops it when the test ends (t.Cleanup). Only loopback is
// used. When moto_server is not on PATH the test is skipped with a message
// saying how to install it (pip install 'moto[server]'); CI has it.
//
// moto accepts requests real AWS refuses (it checks few ECS rules), so a
// test against it proves what the client checks and sends, not what AWS
// would answer.
package moto
