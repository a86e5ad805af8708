// Package localsvc starts local redis-server and clickhouse-server processes
// for development and tests, on fixed ports or on free ones, with their files
// in a given folder, and stops them again.
//
// The servers come from the Debian packages redis-server and
// clickhouse-server, which `make deps` installs. They listen on 127.0.0.1
// only. On Linux a server is killed when the process that started it dies, so
// none outlives the `leadpoet dev` command or the test binary that owns it.
package localsvc

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
)

// startAttempts is how many times a server on free ports is started on fresh
// ones when it dies before answering, which is what a port taken between
// FreePorts and the server's bind looks like. A server on a fixed port is
// started once: a taken port would still be taken.
const startAttempts = 3

// LookPath finds a server binary in PATH or, since Debian installs some
// servers in /usr/sbin which is not in every user's PATH, in the sbin folders.
func LookPath(name string) (string, error) {
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		path := filepath.Join(dir, name)
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s not found in PATH or /usr/sbin: install the Debian package %s, or run `make deps`", name, name)
}

// prepare finds the binary of server and creates dir, with the folders subdirs
// in it, if they are missing.
func prepare(server, dir string, subdirs ...string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("%s: no folder given (Dir)", server)
	}
	bin, err := LookPath(server)
	if err != nil {
		return "", err
	}
	for _, sub := range append([]string{"."}, subdirs...) {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return "", fmt.Errorf("create %s folder: %w", server, err)
		}
	}
	return bin, nil
}

// FreePorts returns n distinct TCP ports on 127.0.0.1 that nothing listened
// on a moment ago. It holds every listener open until all n are chosen, so
// the ports differ. Another process may take a port before the caller binds
// it.
func FreePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	lns := make([]net.Listener, 0, n)
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
