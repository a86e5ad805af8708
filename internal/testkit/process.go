package testkit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// startAttempts is how many times a server is started on fresh ports when it
// dies before answering, which is what a port taken between FreePort and the
// server's bind looks like.
const startAttempts = 3

// process is a server started as a child process, with its output in a file.
type process struct {
	cmd  *exec.Cmd
	logs []string      // files the server writes its output and errors to
	done chan struct{} // closed once the process has exited and been reaped
	err  error         // what Wait returned; read only after done is closed
}

// startProcess starts bin with args, sending its stdout and stderr to outPath.
// Further log files the server writes can be named in logs, so that failure
// messages show their tails.
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
// within grace, and waits for it to be reaped.
func (p *process) stop(grace time.Duration) {
	if p.exited() {
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
}

// describe says how the process ended, if it did, and shows the tail of each
// of its log files, for failure messages.
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

// lookPath finds a server binary in PATH or, since Debian installs some
// servers in /usr/sbin which is not in every user's PATH, in the sbin folders.
func lookPath(name string) (string, error) {
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		path := dir + "/" + name
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s not found in PATH or /usr/sbin: run `make deps` to install the Debian packages the tests need", name)
}
