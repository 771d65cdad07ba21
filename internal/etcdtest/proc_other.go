//go:build !linux

package etcdtest

import "os/exec"

// startChild starts cmd. Only Linux can tie a child's life to its
// parent's; elsewhere Close must stop the members.
func startChild(cmd *exec.Cmd) error { return cmd.Start() }
