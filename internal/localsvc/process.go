package localsvc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// process is a server started as a child process, with its output in a file.
type process struct {
	cmd  *exec.Cmd
	logs []string      // files the server writes its output and errors to
	done chan struct{} // closed once the process has exited and been reaped
	err  error         // what Wait returned; read only after done is closed

	stopOnce sync.Once
	stopErr  error // what the first stop found
}

// startProcess starts bin with args, sending its stdout and stderr to outPath.
// Further log files the server writes can be named in logs, so that Describe
// shows their tails.
func startProcess(bin string, args []string, outPath string, logs ...string) (*process, error) {
	out, err := os.Create(outPath)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", outPath, err)
	}
	defer out.Close() // the child keeps its own copy of the descriptor

	cmd := exec.Command(bin, args...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	p := &process{cmd: cmd, logs: append([]string{outPath}, logs...), done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// errExited means a server exited before it answered; started again on
// other ports it may well work.
var errExited = errors.New("exited before answering")

// waitReady calls ready every interval until it succeeds, the process exits
// (errExited) or timeout passes.
func (p *process) waitReady(timeout, interval time.Duration, ready func() error) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		err := ready()
		if err == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%w (last check: %v)", errExited, err)
		case <-deadline.C:
			return fmt.Errorf("not ready after %v: %w", timeout, err)
		case <-tick.C:
		}
	}
}

// startRetrying calls start until it succeeds, at most startAttempts times if
// the server's ports are free ones (free) and once otherwise, trying again
// only after a server exited before answering. A failure reports every
// attempt.
func startRetrying[T any](free bool, start func() (T, error)) (T, error) {
	attempts := 1
	if free {
		attempts = startAttempts
	}
	var errs []error
	for range attempts {
		v, err := start()
		if err == nil {
			return v, nil
		}
		errs = append(errs, err)
		if !errors.Is(err, errExited) {
			break
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// startFailed stops a process that did not become ready and returns err with
// what the process left behind, naming the server by what and addr.
func (p *process) startFailed(what, addr string, err error) error {
	desc := p.describe()
	p.stop(0)
	return fmt.Errorf("%s on %s: %w\n%s", what, addr, err, desc)
}

// exited reports whether the process has exited.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop asks the process to exit with SIGTERM, kills it if it has not exited
// within grace, and waits for it to be reaped. It returns an error if the
// process had exited on its own before the first stop; later calls return
// the same.
func (p *process) stop(grace time.Duration) error {
	p.stopOnce.Do(func() {
		if p.exited() {
			p.stopErr = fmt.Errorf("%s exited before it was stopped:\n%s", p.cmd.Path, p.describe())
			return
		}
		if grace > 0 {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
				return
			case <-time.After(grace):
			}
		}
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p.stopErr
}

// describe says how the process ended, if it did, and shows the tail of each
// of its log files.
func (p *process) describe() string {
	var b bytes.Buffer
	if p.exited() {
		fmt.Fprintf(&b, "%s exited: %v\n", p.cmd.Path, p.err)
	} else {
		fmt.Fprintf(&b, "%s (pid %d) is still running\n", p.cmd.Path, p.cmd.Process.Pid)
	}
	for _, path := range p.logs {
		fmt.Fprintf(&b, "--- last lines of %s:\n%s", path, tail(path, 20))
	}
	return b.String()
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "(no such file)\n"
	}
	if err != nil {
		return fmt.Sprintf("(read: %v)\n", err)
	}
	data = bytes.TrimRight(data, "\n")
	if len(data) == 0 {
		return "(empty)\n"
	}
	lines := bytes.Split(data, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n"))) + "\n"
}
