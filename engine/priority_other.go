//go:build !linux

package engine

// lowerPriority does nothing where priority is not per thread.
func lowerPriority() {}
