// Package skyproc drives a skysh process as a coprocess for the benchmark
// helpers under bench/: it starts skysh with --json and pipes, sends one query
// line at a time and reads exactly one answer line back.
//
// --json is used because it guarantees one stdout line per query, even for
// errors and shell meta-commands such as !save, so the reader never waits for
// an answer that went to stderr.
package skyproc

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Proc is a running skysh driven through its stdin and stdout.
type Proc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// Start runs bin with --json, the data directory dir and any extra flags.
// skysh's stderr is passed through to ours.
func Start(bin, dir string, extra ...string) (*Proc, error) {
	args := append([]string{"--json", "-d", dir}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Proc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}, nil
}

// Pid is the process id of skysh.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Query sends one line and returns the answer line without its newline.
func (p *Proc) Query(line string) (string, error) {
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		return "", fmt.Errorf("send %q: %w", line, err)
	}
	ans, err := p.Answer()
	if err != nil {
		return "", fmt.Errorf("answer to %q: %w", line, err)
	}
	return ans, nil
}

// Send writes all of r to skysh's input, as it is: a script of many
// queries. Read their answers with Answer at the same time (from another
// goroutine), or skysh blocks once its output pipe is full.
func (p *Proc) Send(r io.Reader) error {
	_, err := io.Copy(p.in, r)
	return err
}

// Answer reads the next answer line, without its newline.
func (p *Proc) Answer() (string, error) {
	ans, err := p.out.ReadString('\n')
	return strings.TrimSuffix(ans, "\n"), err
}

// SkipUntil reads and discards answer lines, without keeping them, until
// one equals marker: the answers of a script sent with Send, followed by a
// query whose answer no query of the script can give. It returns how many
// lines came before the marker.
func (p *Proc) SkipUntil(marker string) (int, error) {
	n := 0
	partial := false // the line read so far is longer than the buffer
	for {
		line, err := p.out.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			partial = true
			continue
		case err != nil:
			return n, err
		}
		if !partial && string(line[:len(line)-1]) == marker {
			return n, nil
		}
		partial = false
		n++
	}
}

// Timed is Query that also returns the round-trip time, measured from just
// before the line is written to just after the answer has been read.
func (p *Proc) Timed(line string) (string, time.Duration, error) {
	t0 := time.Now()
	ans, err := p.Query(line)
	return ans, time.Since(t0), err
}

// Close ends skysh's input (which makes it do its final save and exit) and
// waits for it. If it has not exited after timeout it is killed.
func (p *Proc) Close(timeout time.Duration) error {
	p.in.Close()
	done := make(chan error, 1)
	go func() {
		io.Copy(io.Discard, p.out)
		done <- p.cmd.Wait()
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		<-done
		return fmt.Errorf("skysh did not exit within %v; killed", timeout)
	}
}

// Kill stops skysh at once; for error paths.
func (p *Proc) Kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}
