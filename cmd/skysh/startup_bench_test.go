package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkStartup runs the real binary, `skysh -d DIR -e HEYA`, on a new
// data directory and on the one a first run left (an empty data.bin), and
// a Go hello-world built the same way beside it: start-up is only judged
// against what any Go program costs on the same machine in the same run.
// Compare runs with benchstat, and the cases within one run by their ratio.
func BenchmarkStartup(b *testing.B) {
	bin := skyshBinary(b)
	hello := helloBinary(b)
	run := func(b *testing.B, name string, args ...string) {
		b.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = binaryEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s %q: %v\n%s", name, args, err, out)
		}
	}
	b.Run("hello-world", func(b *testing.B) {
		for b.Loop() {
			run(b, hello)
		}
	})
	b.Run("new-directory", func(b *testing.B) {
		base := b.TempDir()
		i := 0
		for b.Loop() {
			i++
			run(b, bin, "-d", filepath.Join(base, strconv.Itoa(i)), "-e", "HEYA")
		}
	})
	b.Run("empty-data.bin", func(b *testing.B) {
		dir := filepath.Join(b.TempDir(), "data")
		run(b, bin, "-d", dir, "-e", "HEYA")
		for b.Loop() {
			run(b, bin, "-d", dir, "-e", "HEYA")
		}
	})
}

// helloBinary builds a Go program that prints a line, with the toolchain
// and flags that build skysh for the tests.
func helloBinary(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	src := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"HEY!\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	args := []string{"build", "-o", "hello"}
	if raceEnabled() {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build hello: %v\n%s", err, out)
	}
	return filepath.Join(dir, "hello")
}
